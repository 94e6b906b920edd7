/// A doublestar glob over names with `/`-separated components, as Harbor and zot write
/// rules: `*` matches within one component, `**` across components, `?` one character
/// other than `/`; everything else matches itself.
///
/// `team/*` matches `team/app` but not `team/app/api`; `team/**` matches both; `v*` matches
/// the tags `v1` and `v1.2.3`; `**` matches every name.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral,
    Codable
{
    /// The pattern as written.
    public let pattern: String
    private let tokens: [Token]

    /// Creates a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        tokens = Self.tokenize(pattern)
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

    /// Two patterns are equal when they are written the same.
    public static func == (lhs: GlobPattern, rhs: GlobPattern) -> Bool { lhs.pattern == rhs.pattern }

    /// Hashes the pattern as written.
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }

    /// Whether `name` matches. Runs in O(pattern × name) whatever the input, so a hostile
    /// name cannot make matching explode.
    public func matches(_ name: String) -> Bool {
        let name = Array(name.utf8)
        // matched[j]: the tokens so far can consume exactly name[..<j].
        var matched = [Bool](repeating: false, count: name.count + 1)
        matched[0] = true
        for token in tokens {
            var next = [Bool](repeating: false, count: name.count + 1)
            switch token {
            case .literal(let byte):
                for j in 0..<name.count where matched[j] && name[j] == byte { next[j + 1] = true }
            case .anyCharacter:
                for j in 0..<name.count where matched[j] && name[j] != UInt8(ascii: "/") {
                    next[j + 1] = true
                }
            case .anyWithinComponent, .anyAcrossComponents:
                let crossesSlash = token == .anyAcrossComponents
                var reachable = false
                for j in 0...name.count {
                    if matched[j] { reachable = true }
                    if reachable { next[j] = true }
                    if j < name.count, !crossesSlash, name[j] == UInt8(ascii: "/") { reachable = false }
                }
            }
            matched = next
        }
        return matched[name.count]
    }

    /// Whether any of `patterns` matches `name`.
    public static func any(_ patterns: [GlobPattern], matches name: String) -> Bool {
        patterns.contains { $0.matches(name) }
    }

    private enum Token: Sendable, Equatable {
        case literal(UInt8)
        case anyCharacter
        case anyWithinComponent
        case anyAcrossComponents
    }

    private static func tokenize(_ pattern: String) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "*"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                    tokens.append(.anyAcrossComponents)
                    index += 2
                    continue
                }
                tokens.append(.anyWithinComponent)
            case UInt8(ascii: "?"):
                tokens.append(.anyCharacter)
            default:
                tokens.append(.literal(bytes[index]))
            }
            index += 1
        }
        return tokens
    }
}
