/// A glob over repository names, as zot and Harbor write access rules: `*` matches within
/// one path component, `**` across components, `?` one character other than `/`.
///
/// `team/*` matches `team/app` but not `team/app/api`; `team/**` matches both, and `**`
/// matches every repository.
public struct RepositoryPattern: Sendable, Hashable, CustomStringConvertible,
    ExpressibleByStringLiteral, Codable
{
    /// The pattern as written.
    public let pattern: String
    /// The pattern tokenised once: access checks match it on every request.
    private let glob: GlobPattern

    /// Creates a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        glob = GlobPattern(pattern)
    }

    /// Creates a pattern from a literal.
    public init(stringLiteral value: String) {
        self.init(value)
    }

    /// Decodes the pattern from a string.
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the pattern as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pattern)
    }

    /// The pattern.
    public var description: String { pattern }

    /// Whether `repository` matches. Runs in O(pattern × name) whatever the input, so a
    /// hostile name cannot make matching explode.
    public func matches(_ repository: String) -> Bool {
        glob.matches(repository)
    }
}
