import Foundation
public import WharfContent

/// What a cosign signature signs: the "simple signing" payload that names an image by
/// repository and manifest digest.
///
/// Written byte for byte as cosign writes it (sigstore's `payload.Cosign`, through Go's
/// `json.Marshal`):
///
/// ```
/// {"critical":{"identity":{"docker-reference":"registry.example.com/team/app"},
///  "image":{"docker-manifest-digest":"sha256:…"},"type":"cosign container image signature"},
///  "optional":null}
/// ```
///
/// (one line), `optional` holding the signer's annotations when there are any. Read as
/// containers/image reads it: exactly these keys in `critical`, `identity` and `image`;
/// anything else is not a signature of this kind.
public struct SimpleSigningPayload: Sendable, Hashable {
    /// The signature type cosign and containers/image write and require.
    public static let type = "cosign container image signature"
    /// The media type of a layer holding a payload.
    public static let mediaType: OCIMediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The largest payload read: real ones are a few hundred bytes.
    public static let sizeLimit = 64 << 10

    /// The signed identity: the image's repository (`registry.example.com/team/app`), or
    /// for some signers the full reference with tag.
    public var dockerReference: String
    /// The signed manifest.
    public var manifestDigest: OCIDigest
    /// The signer's annotations (`optional`), string values only; others are kept in the
    /// signed bytes but not read.
    public var annotations: [String: String]

    /// Creates a payload.
    public init(dockerReference: String, manifestDigest: OCIDigest, annotations: [String: String] = [:]) {
        self.dockerReference = dockerReference
        self.manifestDigest = manifestDigest
        self.annotations = annotations
    }

    /// The bytes to sign, as cosign writes them.
    public var bytes: [UInt8] {
        let optional: GoJSON.Value =
            annotations.isEmpty
            ? .null : .object(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
        let document: GoJSON.Value = .object([
            (
                "critical",
                .object([
                    ("identity", .object([("docker-reference", .string(dockerReference))])),
                    ("image", .object([("docker-manifest-digest", .string(manifestDigest.description))])),
                    ("type", .string(Self.type)),
                ])
            ),
            ("optional", optional),
        ])
        return Array(GoJSON.encode(document).utf8)
    }

    /// Reads signed payload bytes; throws ``SignatureError/malformedPayload(_:)`` for anything
    /// containers/image would refuse.
    public init(parsing bytes: [UInt8]) throws(SignatureError) {
        guard bytes.count <= Self.sizeLimit else {
            throw .malformedPayload("larger than \(Self.sizeLimit) bytes")
        }
        guard let top = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw .malformedPayload("not a JSON object")
        }
        func object(_ value: Any?, _ name: String, keys: Set<String>) throws(SignatureError) -> [String: Any]
        {
            guard let object = value as? [String: Any] else {
                throw .malformedPayload("\(name) is not an object")
            }
            guard Set(object.keys) == keys else {
                throw .malformedPayload("\(name) must have exactly \(keys.sorted().joined(separator: ", "))")
            }
            return object
        }
        _ = try object(top, "the payload", keys: ["critical", "optional"])
        let critical = try object(top["critical"], "critical", keys: ["identity", "image", "type"])
        guard critical["type"] as? String == Self.type else {
            throw .malformedPayload("critical.type is not \"\(Self.type)\"")
        }
        let identity = try object(critical["identity"], "critical.identity", keys: ["docker-reference"])
        let image = try object(critical["image"], "critical.image", keys: ["docker-manifest-digest"])
        guard let reference = identity["docker-reference"] as? String else {
            throw .malformedPayload("docker-reference is not a string")
        }
        guard let digestText = image["docker-manifest-digest"] as? String,
            let digest = try? OCIDigest(parsing: digestText)
        else {
            throw .malformedPayload("docker-manifest-digest is not a digest")
        }
        var annotations: [String: String] = [:]
        if let optional = top["optional"] as? [String: Any] {
            for (key, value) in optional { if let text = value as? String { annotations[key] = text } }
        } else if !(top["optional"] is NSNull) {
            throw .malformedPayload("optional is neither an object nor null")
        }
        self.init(dockerReference: reference, manifestDigest: digest, annotations: annotations)
    }
}
