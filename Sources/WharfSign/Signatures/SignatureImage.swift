import Foundation
import WharfContent
import WharfImage

/// The image cosign keeps an image's signatures (or attestations) in: an OCI manifest whose
/// layers are simple-signing payloads, each with its signature in the annotation
/// `dev.cosignproject.cosign/signature` (or DSSE envelopes, which carry their own), over a
/// config that lists the layers as cosign's (go-containerregistry's) empty image does.
/// Written byte for byte as cosign writes it.
struct SignatureImage {
    /// One signature or attestation: the layer's descriptor (its annotations carry a
    /// signature's bytes) and, for a layer not stored yet, its payload.
    struct Layer: Equatable {
        var descriptor: Descriptor
        /// The payload when it is known here (a new layer); `nil` for a layer read from a
        /// manifest, whose payload is fetched when needed.
        var payload: [UInt8]?

        /// A new layer holding `payload`.
        init(
            payload: [UInt8], annotations: [String: String],
            mediaType: OCIMediaType = SimpleSigningPayload.mediaType
        ) {
            descriptor = Descriptor(
                mediaType: mediaType, digest: DigestHasher.digest(of: payload), size: Int64(payload.count))
            descriptor.annotations = annotations
            self.payload = payload
        }

        /// A layer read from a manifest.
        init(descriptor: Descriptor) {
            self.descriptor = descriptor
            payload = nil
        }

        /// The base64 signature annotation, decoded; `nil` when missing or not base64.
        var signature: [UInt8]? {
            descriptor.annotations?[SignatureImage.signatureAnnotation].flatMap { Data(base64Encoded: $0) }
                .map(Array.init)
        }
    }

    static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    /// The most layers read from one signature or attestation image (cosign caps at 1000).
    static let layerLimit = 1000

    var layers: [Layer] = []

    /// The tag cosign stores an image's signatures under: `sha256-<hex>.sig`.
    static func tag(for digest: OCIDigest) -> String {
        "\(digest.algorithm.rawValue)-\(digest.encoded).sig"
    }

    /// The tag cosign stores an image's attestations under: `sha256-<hex>.att`.
    static func attestationTag(for digest: OCIDigest) -> String {
        "\(digest.algorithm.rawValue)-\(digest.encoded).att"
    }

    /// The config blob: go-containerregistry's empty image with one history entry and one
    /// diff ID per layer.
    var config: [UInt8] {
        let created = GoJSON.Value.string("0001-01-01T00:00:00Z")
        let document: GoJSON.Value = .object([
            ("architecture", .string("")),
            ("created", created),
            ("history", .array(layers.map { _ in .object([("created", created)]) })),
            ("os", .string("")),
            (
                "rootfs",
                .object([
                    ("type", .string("layers")),
                    ("diff_ids", .array(layers.map { .string($0.descriptor.digest.description) })),
                ])
            ),
            ("config", .object([])),
        ])
        return Array(GoJSON.encode(document).utf8)
    }

    /// The manifest, given the config's descriptor; `subject` and `artifactType` make it an
    /// OCI 1.1 referrer of the signed image instead of a tagged image.
    func manifest(
        config: Descriptor, subject: Descriptor? = nil, artifactType: OCIMediaType? = nil
    ) -> [UInt8] {
        func descriptor(_ value: Descriptor) -> GoJSON.Value {
            var members: [(String, GoJSON.Value)] = [
                ("mediaType", .string(value.mediaType.rawValue)), ("size", .integer(value.size)),
                ("digest", .string(value.digest.description)),
            ]
            if let annotations = value.annotations, !annotations.isEmpty {
                members.append(
                    (
                        "annotations",
                        .object(annotations.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                    ))
            }
            return .object(members)
        }
        var members: [(String, GoJSON.Value)] = [
            ("schemaVersion", .integer(2)), ("mediaType", .string(OCIMediaType.ociManifest.rawValue)),
        ]
        if let artifactType { members.append(("artifactType", .string(artifactType.rawValue))) }
        members.append(("config", descriptor(config)))
        members.append(("layers", .array(layers.map { descriptor($0.descriptor) })))
        if let subject {
            members.append(
                (
                    "subject",
                    descriptor(
                        Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: subject.size))
                ))
        }
        return Array(GoJSON.encode(.object(members)).utf8)
    }
}
