public import Foundation
public import WharfContent

/// What a retention run removed (or, for a dry run, would remove), what it kept although a
/// rule would remove it, and why.
public struct RetentionReport: Sendable, Hashable, Codable {
    /// An artifact removed, with what went with it.
    public struct Removal: Sendable, Hashable, Codable {
        /// The repository.
        public var repository: String
        /// The artifact's manifest.
        public var digest: OCIDigest
        /// Its tags.
        public var tags: [String]
        /// Why it went: the rule.
        public var reason: String
        /// Signatures, attestations, SBOMs and other referrers, and untagged child
        /// manifests of an index, removed with it.
        public var companions: [OCIDigest]
    }

    /// An artifact a rule would remove that was kept.
    public struct Protection: Sendable, Hashable, Codable {
        /// The repository.
        public var repository: String
        /// The artifact's manifest.
        public var digest: OCIDigest
        /// Its tags.
        public var tags: [String]
        /// Why it stays: an immutable tag, a kept index referencing it, a push within the
        /// grace window, or a change since the plan was made.
        public var reason: String
    }

    /// Whether nothing was deleted.
    public var dryRun: Bool
    /// The time the rules judged by.
    public var evaluatedAt: Date
    /// Repositories a policy governs.
    public var repositories = 0
    /// Artifacts judged.
    public var artifacts = 0
    /// What was (or would be) removed, by repository and digest.
    public var removed: [Removal] = []
    /// What was kept although a rule would remove it.
    public var protected: [Protection] = []
    /// Failures, by artifact: removals that did not happen.
    public var errors: [String] = []

    /// An empty report.
    public init(dryRun: Bool, evaluatedAt: Date) {
        self.dryRun = dryRun
        self.evaluatedAt = evaluatedAt
    }
}
