/// A rule that makes tags immutable, as Harbor's tag immutability rules and ECR's
/// `IMMUTABLE_WITH_EXCLUSION` work: in the repositories matching ``repositories``, a tag
/// matching one of ``tags`` and none of ``exclude`` cannot be moved or deleted once it
/// exists.
public struct ImmutableTagRule: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The repositories the rule covers (`prod/**`).
    public var repositories: GlobPattern
    /// The tags it protects (`v*`, `release-*`); `**` or `*` for every tag.
    public var tags: [GlobPattern]
    /// Tags it leaves mutable even though they match ``tags`` (`*-rc*`).
    public var exclude: [GlobPattern]

    /// Creates a rule.
    public init(repositories: GlobPattern, tags: [GlobPattern], exclude: [GlobPattern] = []) {
        self.repositories = repositories
        self.tags = tags
        self.exclude = exclude
    }

    /// Whether the rule protects `tag` in `repository`.
    public func protects(_ tag: String, in repository: String) -> Bool {
        repositories.matches(repository) && GlobPattern.any(tags, matches: tag)
            && !GlobPattern.any(exclude, matches: tag)
    }

    /// The rule as a user wrote it: `prod/** tags [v*, release-*] except [*-rc*]`.
    public var description: String {
        var text = "\(repositories) tags [\(tags.map(\.pattern).joined(separator: ", "))]"
        if !exclude.isEmpty { text += " except [\(exclude.map(\.pattern).joined(separator: ", "))]" }
        return text
    }
}
