public import Foundation
public import WharfContent

/// An artifact as retention judges it: one manifest of a repository with its tags and
/// when it was last pushed and pulled. Retention removes whole artifacts (every tag), as
/// Harbor and ECR do, never single tags.
public struct RetentionArtifact: Sendable, Hashable, Codable {
    /// The manifest's digest.
    public var digest: OCIDigest
    /// Its tags; empty for an untagged artifact.
    public var tags: [String]
    /// When it was last pushed.
    public var pushedAt: Date
    /// When it was last pulled; `nil` when never.
    public var lastPulledAt: Date?

    /// Creates an artifact.
    public init(digest: OCIDigest, tags: [String], pushedAt: Date, lastPulledAt: Date? = nil) {
        self.digest = digest
        self.tags = tags
        self.pushedAt = pushedAt
        self.lastPulledAt = lastPulledAt
    }

    /// Whether it has no tag.
    public var isUntagged: Bool { tags.isEmpty }

    /// Orders newest push first; equal times by digest, so that every run (a dry run and the
    /// real one) breaks ties alike.
    static func newerPush(_ lhs: RetentionArtifact, _ rhs: RetentionArtifact) -> Bool {
        lhs.pushedAt != rhs.pushedAt
            ? lhs.pushedAt > rhs.pushedAt : lhs.digest.description < rhs.digest.description
    }

    /// Orders most recent pull first, never-pulled last; ties by digest.
    static func newerPull(_ lhs: RetentionArtifact, _ rhs: RetentionArtifact) -> Bool {
        let (left, right) = (lhs.lastPulledAt ?? .distantPast, rhs.lastPulledAt ?? .distantPast)
        return left != right ? left > right : lhs.digest.description < rhs.digest.description
    }
}
