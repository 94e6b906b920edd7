import Foundation
import WharfPolicy

/// Turns the `retention` section of the configuration into a ``RetentionPolicy``.
enum RetentionLoader {
    static func policy(_ retention: ServeConfiguration.Retention?) throws -> RetentionPolicy {
        guard let retention else { return RetentionPolicy() }
        var policy = RetentionPolicy()
        for (index, rule) in (retention.rules ?? []).enumerated() {
            let at = "retention.rules[\(index)]"
            var templates: [RetentionTemplate] = []
            if let count = rule.latestPushedK { templates.append(.latestPushedK(count)) }
            if let count = rule.latestPulledN { templates.append(.latestPulledN(count)) }
            if let days = rule.nDaysSinceLastPush { templates.append(.nDaysSinceLastPush(days)) }
            if let days = rule.nDaysSinceLastPull { templates.append(.nDaysSinceLastPull(days)) }
            if rule.always == true { templates.append(.always) }
            guard templates.count == 1, let template = templates.first else {
                throw ConfigurationError(
                    "\(at): name exactly one of latestPushedK, latestPulledN, nDaysSinceLastPush, nDaysSinceLastPull, always: true"
                )
            }
            if let parameter = template.parameter, parameter < 0 || parameter > 1_000_000 {
                throw ConfigurationError("\(at).\(template.id): must be between 0 and 1000000")
            }
            policy.rules.append(
                RetentionRule(
                    repositories: GlobPattern(rule.repositories),
                    tags: (rule.tags ?? []).map { GlobPattern($0) },
                    excludedTags: (rule.excludeTags ?? []).map { GlobPattern($0) },
                    untagged: rule.untagged ?? true,
                    template: template))
        }
        for (index, scoped) in (retention.lifecyclePolicies ?? []).enumerated() {
            let at = "retention.lifecyclePolicies[\(index)]"
            guard let data = FileManager.default.contents(atPath: scoped.file) else {
                throw ConfigurationError("\(at): cannot read \(scoped.file)")
            }
            do {
                policy.lifecyclePolicies.append(
                    ScopedLifecyclePolicy(
                        repositories: GlobPattern(scoped.repositories),
                        policy: try LifecyclePolicy(json: data)))
            } catch {
                throw ConfigurationError("\(at): \(scoped.file): \(error)")
            }
        }
        return policy
    }

    /// The grace window: the retention section's, else the collection's, else an hour.
    static func grace(_ file: ServeConfiguration) throws -> Duration {
        let text = file.retention?.grace ?? file.gc?.grace ?? "1h"
        guard let grace = DurationArgument.parse(text) else {
            throw ConfigurationError("invalid retention grace \"\(text)\"")
        }
        return grace
    }
}
