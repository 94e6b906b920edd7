public import Foundation
public import WharfContent

/// A tag set, moved or deleted: one entry of a tag's history.
public struct TagChange: Sendable, Hashable, Codable {
    /// The repository.
    public var repository: String
    /// The tag.
    public var tag: String
    /// What the tag names from now on; `nil` when it was deleted.
    public var digest: OCIDigest?
    /// What it named before; `nil` when it was created.
    public var previousDigest: OCIDigest?
    /// When.
    public var at: Date
    /// Who, when known.
    public var by: String?

    /// Creates a change.
    public init(
        repository: String, tag: String, digest: OCIDigest?, previousDigest: OCIDigest?, at: Date,
        by: String? = nil
    ) {
        self.repository = repository
        self.tag = tag
        self.digest = digest
        self.previousDigest = previousDigest
        self.at = at
        self.by = by
    }
}
