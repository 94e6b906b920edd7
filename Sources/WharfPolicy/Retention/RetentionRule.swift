public import Foundation
public import WharfStorage

/// One rule of a Harbor-style retention policy: which repositories it covers, which of
/// their artifacts it looks at (tag selectors, untagged or not), and which of those it
/// keeps (its ``RetentionTemplate``).
///
/// Selection follows Harbor's doublestar selector exactly: a tagged artifact is chosen when
/// one of its tags matches ``tags`` (every artifact when it is empty) and, if
/// ``excludedTags`` is set, one of its tags does not match it; an untagged artifact is
/// chosen when ``untagged`` is on.
public struct RetentionRule: Sendable, Hashable, CustomStringConvertible {
    /// The repositories the rule covers.
    public var repositories: GlobPattern
    /// The tags whose artifacts the rule looks at; empty for all.
    public var tags: [GlobPattern]
    /// Tags whose artifacts it leaves out (an artifact is left out when all its tags match).
    public var excludedTags: [GlobPattern]
    /// Whether it looks at untagged artifacts too.
    public var untagged: Bool
    /// What it keeps.
    public var template: RetentionTemplate

    /// Creates a rule.
    public init(
        repositories: GlobPattern, tags: [GlobPattern] = [], excludedTags: [GlobPattern] = [],
        untagged: Bool = true, template: RetentionTemplate
    ) {
        self.repositories = repositories
        self.tags = tags
        self.excludedTags = excludedTags
        self.untagged = untagged
        self.template = template
    }

    /// Whether the rule looks at `artifact`.
    public func selects(_ artifact: RetentionArtifact) -> Bool {
        if artifact.isUntagged { return untagged }
        let matched = tags.isEmpty || artifact.tags.contains { GlobPattern.any(tags, matches: $0) }
        let notExcluded =
            excludedTags.isEmpty || artifact.tags.contains { !GlobPattern.any(excludedTags, matches: $0) }
        return matched && notExcluded
    }

    /// The artifacts among `artifacts` the rule keeps, judged at `now`.
    public func kept(of artifacts: [RetentionArtifact], now: Date) -> [RetentionArtifact] {
        let selected = artifacts.filter(selects)
        switch template {
        case .latestPushedK(let count):
            return Array(selected.sorted(by: RetentionArtifact.newerPush).prefix(max(0, count)))
        case .latestPulledN(let count):
            return Array(selected.sorted(by: RetentionArtifact.newerPull).prefix(max(0, count)))
        case .nDaysSinceLastPush(let days):
            let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
            return selected.filter { $0.pushedAt >= cutoff }
        case .nDaysSinceLastPull(let days):
            let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
            return selected.filter { ($0.lastPulledAt ?? .distantPast) >= cutoff }
        case .always:
            return selected
        }
    }

    /// `ci/** tags [**] untagged: latestPushedK=10`.
    public var description: String {
        var text = "\(repositories)"
        if !tags.isEmpty { text += " tags [\(tags.map(\.pattern).joined(separator: ", "))]" }
        if !excludedTags.isEmpty {
            text += " except [\(excludedTags.map(\.pattern).joined(separator: ", "))]"
        }
        text += untagged ? " with untagged" : ""
        return text + ": \(template)"
    }
}
