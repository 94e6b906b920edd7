public import Foundation
public import WharfContent

/// A manifest or index as exact bytes, with the decoded view of those bytes.
///
/// The digest is always the hash of ``bytes``, never of a re-encoding, and unknown fields
/// survive because the bytes are what is stored and served. Decoding works out the media
/// type from, in order: the type the bytes were described or served as, the document's
/// own `mediaType` field, and its shape (`manifests` means an index, `config` a manifest),
/// and rejects contradictions between them.
public struct ManifestDocument: Sendable, Hashable {
    /// The decoded content.
    public enum Content: Sendable, Hashable {
        /// An OCI image manifest or Docker schema 2 manifest.
        case manifest(ImageManifest)
        /// An OCI image index or Docker manifest list.
        case index(ImageIndex)
    }

    /// The exact bytes.
    public let bytes: Data
    /// A descriptor of the bytes: media type, digest and size.
    public let descriptor: Descriptor
    /// The decoded view.
    public let content: Content

    /// Decodes `bytes`. `mediaType` is the type they were described or served as, if known.
    public init(
        bytes: Data, mediaType: OCIMediaType? = nil, algorithm: DigestAlgorithm = .canonical
    ) throws(ImageSpecError) {
        let resolved = try Self.mediaType(of: bytes, declared: mediaType)
        if resolved.isIndex {
            content = .index(try ImageIndex.decode(bytes, expected: resolved))
        } else {
            content = .manifest(try ImageManifest.decode(bytes, expected: resolved))
        }
        self.bytes = bytes
        self.descriptor = Descriptor(mediaType: resolved, bytes: bytes, algorithm: algorithm)
    }

    /// Encodes a new manifest deterministically.
    public init(_ manifest: ImageManifest) throws {
        try self.init(bytes: manifest.encoded(), mediaType: manifest.mediaType ?? .ociManifest)
    }

    /// Encodes a new index deterministically.
    public init(_ index: ImageIndex) throws {
        try self.init(bytes: index.encoded(), mediaType: index.mediaType ?? .ociIndex)
    }

    /// The manifest, when the document is one.
    public var manifest: ImageManifest? {
        if case .manifest(let manifest) = content { manifest } else { nil }
    }

    /// The index, when the document is one.
    public var index: ImageIndex? {
        if case .index(let index) = content { index } else { nil }
    }

    /// The `subject` of the document, if it refers to another manifest.
    public var subject: Descriptor? {
        switch content {
        case .manifest(let manifest): manifest.subject
        case .index(let index): index.subject
        }
    }

    /// The media type of manifest or index `bytes`, as the rules above determine it.
    public static func mediaType(
        of bytes: Data, declared: OCIMediaType?
    ) throws(ImageSpecError) -> OCIMediaType {
        let probe = try ImageJSON.decode(Probe.self, from: bytes)
        if probe.schemaVersion == 1 || declared?.essence == OCIMediaType.dockerManifestSchema1Signed.rawValue
            || declared?.essence == "application/vnd.docker.distribution.manifest.v1+json"
        {
            throw ImageSpecError(
                field: "schemaVersion", reason: "Docker schema 1 manifests are not supported")
        }
        if let declared, (declared.isImageManifest || declared.isIndex) {
            return OCIMediaType(rawValue: declared.essence)
        }
        if let declared {
            throw ImageSpecError(
                field: "mediaType", reason: "\(declared) is not a manifest or index media type")
        }
        if let own = probe.mediaType {
            guard (own.isImageManifest || own.isIndex) else {
                throw ImageSpecError(
                    field: "mediaType", reason: "\(own) is not a manifest or index media type")
            }
            return OCIMediaType(rawValue: own.essence)
        }
        switch (probe.manifests != nil, probe.config != nil) {
        case (true, false): return .ociIndex
        case (false, true): return .ociManifest
        case (true, true):
            throw ImageSpecError(field: "", reason: "ambiguous document: has both manifests and config")
        case (false, false):
            throw ImageSpecError(
                field: "", reason: "neither a manifest (no config) nor an index (no manifests)")
        }
    }

    /// Just enough of a document to tell what it is.
    private struct Probe: Decodable {
        var schemaVersion: Int?
        var mediaType: OCIMediaType?
        var manifests: IgnoredValue?
        var config: IgnoredValue?
    }

    /// Accepts any JSON value without decoding it.
    private struct IgnoredValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}
