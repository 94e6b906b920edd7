public import Foundation
public import WharfContent

/// What the registry knows of a manifest in a repository beyond its bytes: when it was
/// last pushed and by whom, and how it has been pulled.
public struct ManifestRecord: Sendable, Hashable, Codable {
    /// The repository (`team/app`).
    public var repository: String
    /// The manifest's digest.
    public var digest: OCIDigest
    /// Its media type.
    public var mediaType: OCIMediaType
    /// Its size in bytes.
    public var size: Int64
    /// When it was last pushed; `nil` when unknown (a manifest only seen pulled, in a root
    /// another registry wrote).
    public var pushedAt: Date?
    /// Who pushed it last, when known.
    public var pushedBy: String?
    /// When it was last pulled.
    public var lastPulledAt: Date?
    /// How many times it was pulled.
    public var pullCount: Int64

    /// Creates a record.
    public init(
        repository: String, digest: OCIDigest, mediaType: OCIMediaType, size: Int64, pushedAt: Date?,
        pushedBy: String? = nil, lastPulledAt: Date? = nil, pullCount: Int64 = 0
    ) {
        self.repository = repository
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.pushedAt = pushedAt
        self.pushedBy = pushedBy
        self.lastPulledAt = lastPulledAt
        self.pullCount = pullCount
    }
}
