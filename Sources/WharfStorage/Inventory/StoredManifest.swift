public import Foundation
public import WharfContent

/// A manifest stored in a repository, as storage alone knows it: what retention, the
/// management API and a metadata rebuild start from.
public struct StoredManifest: Sendable, Hashable {
    /// The manifest's digest.
    public var digest: OCIDigest
    /// Its media type.
    public var mediaType: OCIMediaType
    /// Its size in bytes.
    public var size: Int64
    /// The artifact type as the referrers API reports it: the manifest's `artifactType`, or
    /// for an image manifest without one, its config's media type.
    public var artifactType: OCIMediaType?
    /// The tags naming it, sorted.
    public var tags: [String]
    /// When its revision link was written (the storage's clock): its first push to this
    /// repository, as far as storage can tell.
    public var linkedAt: Date
    /// The manifest it refers to (image-spec 1.1 `subject`), if any.
    public var subject: OCIDigest?
    /// The manifests an index lists; empty for an image manifest.
    public var children: [OCIDigest]
    /// The total size of the blobs it references (config and layers; for an index, the
    /// sum of its manifests' sizes as listed).
    public var referencedSize: Int64

    /// Creates a description.
    public init(
        digest: OCIDigest, mediaType: OCIMediaType, size: Int64, artifactType: OCIMediaType? = nil,
        tags: [String] = [], linkedAt: Date, subject: OCIDigest? = nil, children: [OCIDigest] = [],
        referencedSize: Int64 = 0
    ) {
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.artifactType = artifactType
        self.tags = tags
        self.linkedAt = linkedAt
        self.subject = subject
        self.children = children
        self.referencedSize = referencedSize
    }
}
