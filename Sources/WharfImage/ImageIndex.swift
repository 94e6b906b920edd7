public import Foundation
public import WharfContent

/// An image index: an OCI image index or a Docker manifest list.
///
/// The two formats share their shape; ``format`` tells which one a value is.
public struct ImageIndex: Sendable, Hashable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    /// The index's own media type; optional in OCI, required in a Docker manifest list.
    public var mediaType: OCIMediaType?
    /// The type of an artifact (image-spec 1.1).
    public var artifactType: OCIMediaType?
    /// The manifests (or nested indexes) the index lists.
    public var manifests: [Descriptor]
    /// The manifest this one refers to, for referrers (image-spec 1.1).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates an OCI image index.
    public init(
        manifests: [Descriptor], mediaType: OCIMediaType? = .ociIndex, artifactType: OCIMediaType? = nil,
        subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }

    /// The format: `OCIMediaType.dockerManifestList` when the media type says so, otherwise
    /// `OCIMediaType.ociIndex`.
    public var format: OCIMediaType {
        mediaType?.essence == OCIMediaType.dockerManifestList.rawValue ? .dockerManifestList : .ociIndex
    }

    /// Decodes and validates index bytes. `expected`, when given, is the media type the
    /// bytes were served or described as.
    public static func decode(
        _ bytes: Data, expected: OCIMediaType? = nil
    ) throws(ImageSpecError) -> ImageIndex {
        let index = try ImageJSON.decode(ImageIndex.self, from: bytes)
        try index.validate(expected: expected)
        return index
    }

    /// The deterministic JSON encoding of this index.
    public func encoded() throws -> Data {
        try ImageJSON.encode(self)
    }

    func validate(expected: OCIMediaType?) throws(ImageSpecError) {
        try DocumentHeader.validate(
            schemaVersion: schemaVersion, mediaType: mediaType, artifactType: artifactType,
            expected: expected,
            kind: .index)
        if format == .dockerManifestList {
            for (position, entry) in manifests.enumerated() where entry.platform == nil {
                throw ImageSpecError(
                    field: "manifests[\(position)].platform", reason: "is required in a Docker manifest list")
            }
        }
    }
}
