public import Foundation
public import WharfContent

extension LifecyclePolicy {
    /// The images that expire, each with the rule that expires it, as ECR decides: every
    /// rule selects and counts on all images; rules apply from the lowest priority number
    /// up, and an image a rule selected can never be expired by a rule applied after it,
    /// even when that rule kept it.
    public func expired(_ images: [RetentionArtifact], now: Date) -> [OCIDigest: Rule] {
        var expired: [OCIDigest: Rule] = [:]
        var claimed = Set<OCIDigest>()
        for rule in rules.sorted(by: { $0.rulePriority < $1.rulePriority }) {
            let selected = images.filter(rule.selection.selects)
            for image in rule.selection.expiring(among: selected, now: now)
            where !claimed.contains(image.digest) {
                expired[image.digest] = rule
            }
            claimed.formUnion(selected.map(\.digest))
        }
        return expired
    }
}

extension LifecyclePolicy.Selection {
    /// Whether the selection takes `image`: by tag status, and for `tagged` when every
    /// prefix (or pattern) of the list matches one of its tags.
    public func selects(_ image: RetentionArtifact) -> Bool {
        switch tagStatus {
        case .any: return true
        case .untagged: return image.isUntagged
        case .tagged:
            if let prefixes = tagPrefixList {
                return prefixes.allSatisfy { prefix in image.tags.contains { $0.hasPrefix(prefix) } }
            }
            if let patterns = tagPatternList {
                return patterns.allSatisfy { pattern in image.tags.contains { Self.matches(pattern, $0) } }
            }
            return false
        }
    }

    /// Which of the selected images the count makes expire.
    func expiring(among selected: [RetentionArtifact], now: Date) -> [RetentionArtifact] {
        let cutoff = now.addingTimeInterval(-Double(countNumber) * 86_400)
        switch countType {
        case .imageCountMoreThan:
            return Array(selected.sorted(by: RetentionArtifact.newerPush).dropFirst(max(0, countNumber)))
        case .sinceImagePushed:
            return selected.filter { $0.pushedAt < cutoff }
        case .sinceImagePulled:
            return selected.filter { ($0.lastPulledAt ?? $0.pushedAt) < cutoff }
        }
    }

    /// ECR's tag pattern: `*` matches any run of characters (also none), nothing else is
    /// special, and the pattern matches the whole tag.
    static func matches(_ pattern: String, _ tag: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == tag }
        guard tag.hasPrefix(parts[0]), tag.dropFirst(parts[0].count).hasSuffix(parts[parts.count - 1]) else {
            return false
        }
        var rest = Substring(tag.dropFirst(parts[0].count).dropLast(parts[parts.count - 1].count))
        // Lengths permitting, the middle pieces are found left to right, each as early as it can be.
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return tag.count >= parts[0].count + parts[parts.count - 1].count
    }
}
