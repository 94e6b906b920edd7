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

    /// Creates a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
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
        let tokens = Self.tokenize(pattern)
        let name = Array(repository.utf8)
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

    private enum Token: Equatable {
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
