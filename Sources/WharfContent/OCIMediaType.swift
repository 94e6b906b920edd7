/// A media type string as used in descriptors and `Content-Type` headers.
///
/// The constants cover OCI image-spec 1.1 and Docker image manifest v2 schema 2; any other
/// well-formed type (an artifact's, say) is carried as it is.
public struct OCIMediaType: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The media type string, as it appeared on the wire.
    public let rawValue: String

    /// Wraps a media type string without validating it; see ``isWellFormed``.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a media type string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Decodes a media type from a JSON string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the media type as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String { rawValue }

    /// The type without parameters (`; charset=...`), lowercased for comparison.
    public var essence: String {
        let base = rawValue.split(separator: ";", maxSplits: 1).first.map(String.init) ?? rawValue
        return base.trimmingWhitespace().lowercased()
    }

    /// Whether the string has the RFC 6838 shape `type "/" subtype` with restricted-name
    /// characters on both sides (parameters after `;` are allowed).
    public var isWellFormed: Bool {
        let parts = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part.utf8.count <= 127 && part.utf8.first.map(Self.isAlphanumeric) == true
                && part.utf8.allSatisfy { Self.isAlphanumeric($0) || Self.restrictedNameExtras.contains($0) }
        }
    }

    private static let restrictedNameExtras = Set("!#$&-^_.+".utf8)

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

extension OCIMediaType {
    /// `application/vnd.oci.descriptor.v1+json`
    public static let ociDescriptor: OCIMediaType = "application/vnd.oci.descriptor.v1+json"
    /// `application/vnd.oci.layout.header.v1+json`
    public static let ociLayoutHeader: OCIMediaType = "application/vnd.oci.layout.header.v1+json"
    /// `application/vnd.oci.image.index.v1+json`
    public static let ociIndex: OCIMediaType = "application/vnd.oci.image.index.v1+json"
    /// `application/vnd.oci.image.manifest.v1+json`
    public static let ociManifest: OCIMediaType = "application/vnd.oci.image.manifest.v1+json"
    /// `application/vnd.oci.image.config.v1+json`
    public static let ociConfig: OCIMediaType = "application/vnd.oci.image.config.v1+json"
    /// `application/vnd.oci.image.layer.v1.tar`
    public static let ociLayer: OCIMediaType = "application/vnd.oci.image.layer.v1.tar"
    /// `application/vnd.oci.image.layer.v1.tar+gzip`
    public static let ociLayerGzip: OCIMediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// `application/vnd.oci.image.layer.v1.tar+zstd`
    public static let ociLayerZstd: OCIMediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
    /// `application/vnd.oci.image.layer.nondistributable.v1.tar` (deprecated in image-spec 1.1)
    public static let ociLayerNondistributable: OCIMediaType =
        "application/vnd.oci.image.layer.nondistributable.v1.tar"
    /// `application/vnd.oci.image.layer.nondistributable.v1.tar+gzip` (deprecated in image-spec 1.1)
    public static let ociLayerNondistributableGzip: OCIMediaType =
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    /// `application/vnd.oci.image.layer.nondistributable.v1.tar+zstd` (deprecated in image-spec 1.1)
    public static let ociLayerNondistributableZstd: OCIMediaType =
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    /// `application/vnd.oci.empty.v1+json`, the type of the empty descriptor `{}`.
    public static let ociEmpty: OCIMediaType = "application/vnd.oci.empty.v1+json"

    /// `application/vnd.docker.distribution.manifest.v2+json` (schema 2)
    public static let dockerManifest: OCIMediaType = "application/vnd.docker.distribution.manifest.v2+json"
    /// `application/vnd.docker.distribution.manifest.list.v2+json`
    public static let dockerManifestList: OCIMediaType =
        "application/vnd.docker.distribution.manifest.list.v2+json"
    /// `application/vnd.docker.container.image.v1+json`
    public static let dockerConfig: OCIMediaType = "application/vnd.docker.container.image.v1+json"
    /// `application/vnd.docker.image.rootfs.diff.tar.gzip`
    public static let dockerLayerGzip: OCIMediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// `application/vnd.docker.image.rootfs.foreign.diff.tar.gzip`
    public static let dockerForeignLayerGzip: OCIMediaType =
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// `application/vnd.oci.artifact.manifest.v1+json`, the artifact manifest of image-spec
    /// 1.1's release candidates (dropped before 1.1.0; some registries still hold them).
    public static let ociArtifactManifest: OCIMediaType = "application/vnd.oci.artifact.manifest.v1+json"

    /// `application/vnd.docker.distribution.manifest.v1+prettyjws` (schema 1, read-only legacy)
    public static let dockerManifestSchema1Signed: OCIMediaType =
        "application/vnd.docker.distribution.manifest.v1+prettyjws"

    /// Whether this is an image manifest type (OCI or Docker schema 2).
    public var isImageManifest: Bool {
        essence == Self.ociManifest.rawValue || essence == Self.dockerManifest.rawValue
    }

    /// Whether this is an index type (OCI index or Docker manifest list).
    public var isIndex: Bool {
        essence == Self.ociIndex.rawValue || essence == Self.dockerManifestList.rawValue
    }

    /// Whether content of this type is a manifest: an image manifest, an index, an artifact
    /// manifest or a Docker schema 1 manifest. This is the one rule every store uses to tell
    /// manifests (stored and named through a registry's `/manifests/`, read whole, capped)
    /// from blobs. Only image manifests and indexes have children a graph walk reads.
    public var isManifest: Bool {
        isImageManifest || isIndex || essence == Self.ociArtifactManifest.rawValue
            || essence == Self.dockerManifestSchema1Signed.rawValue
    }

    /// Whether this is a layer type that must not be pushed to registries by default
    /// (Docker foreign layers and the deprecated OCI non-distributable layers).
    public var isNondistributable: Bool {
        essence == Self.dockerForeignLayerGzip.rawValue
            || essence.hasPrefix("application/vnd.oci.image.layer.nondistributable.")
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[start...end])
    }
}
