public import Foundation
public import WharfContent

/// An image manifest: an OCI image manifest or a Docker image manifest v2 schema 2.
///
/// The two formats share their shape; ``format`` tells which one a value is. Decoding
/// rejects what the specs forbid: a `schemaVersion` other than 2, missing `config` or
/// `layers`, descriptors with bad digests or negative sizes, and a `mediaType` that
/// contradicts the expected format.
public struct ImageManifest: Sendable, Hashable, Codable {
    /// Always 2.
    public var schemaVersion: Int
    /// The manifest's own media type; optional in OCI, required in Docker schema 2.
    public var mediaType: OCIMediaType?
    /// The type of an artifact (image-spec 1.1); absent for ordinary images.
    public var artifactType: OCIMediaType?
    /// The image configuration (or an artifact's config, often `Descriptor.empty`).
    public var config: Descriptor
    /// The layers, base first.
    public var layers: [Descriptor]
    /// The manifest this one refers to, for referrers (image-spec 1.1).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates an OCI image manifest.
    public init(
        config: Descriptor, layers: [Descriptor], mediaType: OCIMediaType? = .ociManifest,
        artifactType: OCIMediaType? = nil, subject: Descriptor? = nil, annotations: [String: String]? = nil
    ) {
        self.schemaVersion = 2
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }

    /// The format of the manifest: `OCIMediaType.dockerManifest` when its media type says so,
    /// otherwise `OCIMediaType.ociManifest`.
    public var format: OCIMediaType {
        mediaType?.essence == OCIMediaType.dockerManifest.rawValue ? .dockerManifest : .ociManifest
    }

    /// Decodes and validates manifest bytes. `expected`, when given, is the media type the
    /// bytes were served or described as.
    public static func decode(
        _ bytes: Data, expected: OCIMediaType? = nil
    ) throws(ImageSpecError) -> ImageManifest {
        let manifest = try ImageJSON.decode(ImageManifest.self, from: bytes)
        try manifest.validate(expected: expected)
        return manifest
    }

    /// The deterministic JSON encoding of this manifest.
    public func encoded() throws -> Data {
        try ImageJSON.encode(self)
    }

    func validate(expected: OCIMediaType?) throws(ImageSpecError) {
        try DocumentHeader.validate(
            schemaVersion: schemaVersion, mediaType: mediaType, artifactType: artifactType,
            expected: expected,
            kind: .manifest)
        if format == .dockerManifest, artifactType != nil || subject != nil {
            throw ImageSpecError(
                field: "artifactType", reason: "Docker schema 2 manifests cannot carry OCI 1.1 fields")
        }
        if let artifactType, !artifactType.isWellFormed {
            throw ImageSpecError(field: "artifactType", reason: "\(artifactType) is not a media type")
        }
    }
}
