public import Foundation
public import WharfContent

/// A manifest push, as the registry records it.
public struct PushRecord: Sendable, Hashable {
    /// The repository pushed to.
    public var repository: String
    /// The manifest's digest.
    public var digest: OCIDigest
    /// Its media type.
    public var mediaType: OCIMediaType
    /// Its size in bytes.
    public var size: Int64
    /// When.
    public var at: Date
    /// Who (the authenticated principal), when known.
    public var by: String?

    /// Creates a record.
    public init(
        repository: String, digest: OCIDigest, mediaType: OCIMediaType, size: Int64, at: Date,
        by: String? = nil
    ) {
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.at = at
        self.by = by
    }
}
