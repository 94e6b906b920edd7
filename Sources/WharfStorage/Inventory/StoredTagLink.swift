public import Foundation
public import WharfContent

/// One manifest a tag has named, from the tag's index in storage (Distribution keeps a
/// link per digest a tag ever pointed at, until the tag is deleted).
public struct StoredTagLink: Sendable, Hashable {
    /// The tag.
    public var tag: String
    /// A manifest the tag named.
    public var digest: OCIDigest
    /// When the tag was first pointed at it (the index link's time).
    public var linkedAt: Date
    /// Whether the tag names it now.
    public var isCurrent: Bool

    /// Creates a link.
    public init(tag: String, digest: OCIDigest, linkedAt: Date, isCurrent: Bool) {
        self.tag = tag
        self.digest = digest
        self.linkedAt = linkedAt
        self.isCurrent = isCurrent
    }
}
