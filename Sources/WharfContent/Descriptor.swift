public import Foundation

/// A content descriptor of the image-spec: what a piece of content is, how large it is and
/// the digest that addresses it.
public struct Descriptor: Sendable, Hashable, Codable {
    /// The media type of the referenced content.
    public var mediaType: OCIMediaType
    /// The digest of the referenced content.
    public var digest: OCIDigest
    /// The size of the referenced content in bytes.
    public var size: Int64
    /// Alternative locations the content may be downloaded from.
    public var urls: [String]?
    /// Arbitrary metadata.
    public var annotations: [String: String]?
    /// The content itself, embedded (base64 on the wire); it must match `digest` and `size`.
    public var data: Data?
    /// The platform of a manifest referenced from an index.
    public var platform: Platform?
    /// The type of an artifact when the descriptor references an artifact manifest.
    public var artifactType: OCIMediaType?

    /// Creates a descriptor.
    public init(
        mediaType: OCIMediaType, digest: OCIDigest, size: Int64, urls: [String]? = nil,
        annotations: [String: String]? = nil, data: Data? = nil, platform: Platform? = nil,
        artifactType: OCIMediaType? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.data = data
        self.platform = platform
        self.artifactType = artifactType
    }

    /// A descriptor of `bytes`, with the digest computed here.
    public init(
        mediaType: OCIMediaType, bytes: some Collection<UInt8>, algorithm: DigestAlgorithm = .canonical
    ) {
        self.init(
            mediaType: mediaType, digest: DigestHasher.digest(of: bytes, algorithm: algorithm),
            size: Int64(bytes.count))
    }

    /// The empty descriptor of image-spec 1.1: the two-byte JSON `{}`, used as the config of
    /// artifacts that have none.
    public static let empty = Descriptor(
        mediaType: .ociEmpty,
        digest: emptyJSONDigest,
        size: 2,
        data: Data("{}".utf8))

    // The digest of the two bytes `{}`, a constant of the image-spec.
    private static let emptyJSONDigest = DigestHasher.digest(of: Array("{}".utf8))

    /// The annotation that names a manifest in an OCI layout's `index.json`.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"

    enum CodingKeys: String, CodingKey {
        case mediaType, digest, size, urls, annotations, data, platform, artifactType
    }

    /// Decodes and validates a descriptor: a well-formed media type, a valid digest, a
    /// non-negative size, and embedded data that matches both.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mediaType = try container.decode(OCIMediaType.self, forKey: .mediaType)
        guard mediaType.isWellFormed else {
            throw DecodingError.dataCorruptedError(
                forKey: .mediaType, in: container,
                debugDescription: "\(UntrustedText.quoted(mediaType.rawValue)) is not a media type")
        }
        digest = try container.decode(OCIDigest.self, forKey: .digest)
        size = try container.decode(Int64.self, forKey: .size)
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .size, in: container, debugDescription: "size must not be negative (found \(size))")
        }
        urls = try container.decodeIfPresent([String].self, forKey: .urls)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        data = try container.decodeIfPresent(Data.self, forKey: .data)
        platform = try container.decodeIfPresent(Platform.self, forKey: .platform)
        artifactType = try container.decodeIfPresent(OCIMediaType.self, forKey: .artifactType)
        if let artifactType, !artifactType.isWellFormed {
            throw DecodingError.dataCorruptedError(
                forKey: .artifactType, in: container,
                debugDescription: "\(UntrustedText.quoted(artifactType.rawValue)) is not a media type")
        }
        if let data {
            guard Int64(data.count) == size,
                DigestHasher.digest(of: data, algorithm: digest.algorithm) == digest
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .data, in: container,
                    debugDescription: "embedded data does not match digest and size")
            }
        }
    }

    /// Whether `other` names the same content (digest, size and media type), ignoring
    /// annotations, platform and the other metadata.
    public func addressesSameContent(as other: Descriptor) -> Bool {
        digest == other.digest && size == other.size && mediaType == other.mediaType
    }
}

extension Descriptor: CustomStringConvertible {
    /// `sha256:… (application/vnd.oci.image.manifest.v1+json, 1234 bytes)`, with the
    /// platform when there is one: what logs and messages show of a descriptor.
    public var description: String {
        var text = "\(digest) (\(mediaType), \(size) bytes"
        if let platform { text += ", \(platform)" }
        return text + ")"
    }
}
