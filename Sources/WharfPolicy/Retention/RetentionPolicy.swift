public import Foundation
public import WharfContent
public import WharfStorage

/// What a registry keeps: Harbor-style ``RetentionRule``s and ECR ``LifecyclePolicy``s,
/// each over the repositories its pattern matches.
///
/// A repository a lifecycle policy matches is governed by that policy alone (the first that
/// matches), with ECR's semantics. Any other repository that some rule covers is governed
/// by the rules that cover it, with Harbor's: an artifact survives when any of them keeps
/// it, and goes otherwise. A repository nothing covers is left alone.
public struct RetentionPolicy: Sendable, Hashable {
    /// Harbor-style rules.
    public var rules: [RetentionRule]
    /// ECR lifecycle policies.
    public var lifecyclePolicies: [ScopedLifecyclePolicy]

    /// Creates a policy.
    public init(rules: [RetentionRule] = [], lifecyclePolicies: [ScopedLifecyclePolicy] = []) {
        self.rules = rules
        self.lifecyclePolicies = lifecyclePolicies
    }

    /// Whether a rule judges by pulls (`latestPulledN`, `nDaysSinceLastPull`, or a
    /// lifecycle policy's `sinceImagePulled`), which needs a metadata store.
    public var judgesByPulls: Bool {
        rules.contains {
            switch $0.template {
            case .latestPulledN, .nDaysSinceLastPull: true
            default: false
            }
        }
            || lifecyclePolicies.contains {
                $0.policy.rules.contains { $0.selection.countType == .sinceImagePulled }
            }
    }

    /// Whether anything governs `repository`.
    public func covers(_ repository: String) -> Bool {
        lifecyclePolicies.contains { $0.repositories.matches(repository) }
            || rules.contains { $0.repositories.matches(repository) }
    }

    /// The artifacts of `repository` that go, each with why (the rule that expired it, or
    /// the rules none of which kept it), judged at `now`; `nil` when nothing governs the
    /// repository.
    public func removals(
        in repository: String, artifacts: [RetentionArtifact], now: Date
    ) -> [OCIDigest: String]? {
        if let scoped = lifecyclePolicies.first(where: { $0.repositories.matches(repository) }) {
            return scoped.policy.expired(artifacts, now: now).mapValues { "lifecycle policy \($0.label)" }
        }
        let applicable = rules.filter { $0.repositories.matches(repository) }
        guard !applicable.isEmpty else { return nil }
        var kept = Set<OCIDigest>()
        for rule in applicable { kept.formUnion(rule.kept(of: artifacts, now: now).map(\.digest)) }
        let reason = "kept by no rule of " + applicable.map { "[\($0)]" }.joined(separator: ", ")
        var removals: [OCIDigest: String] = [:]
        for artifact in artifacts where !kept.contains(artifact.digest) { removals[artifact.digest] = reason }
        return removals
    }
}
