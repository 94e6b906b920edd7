/// An Alpine package version, `digits{.digits}[letter]{_suffix[digits]}[~hash][-r#]`,
/// ordered as current apk-tools orders them: the string is read as typed tokens and
/// compared token by token. Pre-release suffixes (`_alpha`, `_beta`, `_pre`, `_rc`) sort
/// before the bare version, post-release ones (`_cvs`, `_svn`, `_git`, `_hg`, `_p`)
/// after it; a dotted component with a leading zero compares as a string, as Gentoo's
/// rules say (`1.01` < `1.1`).
public struct AlpineVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The version as written.
    public let text: String
    private let tokens: [AlpineToken]

    /// Parses a version; `nil` when apk would call it invalid.
    public init?(_ text: String) {
        guard let tokens = AlpineToken.tokenize(text) else { return nil }
        self.text = text
        self.tokens = tokens
    }

    /// The version as written.
    public var description: String { text }

    /// apk's order.
    public static func < (lhs: AlpineVersion, rhs: AlpineVersion) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Equal in apk's order.
    public static func == (lhs: AlpineVersion, rhs: AlpineVersion) -> Bool {
        compare(lhs, rhs) == 0
    }

    /// Hashes what the order compares.
    public func hash(into hasher: inout Hasher) {
        for token in tokens {
            hasher.combine(token.kind)
            hasher.combine(token.sortKey)
        }
    }

    static func compare(_ a: AlpineVersion, _ b: AlpineVersion) -> Int {
        var index = 0
        while index < a.tokens.count, index < b.tokens.count, a.tokens[index].kind == b.tokens[index].kind {
            let order = a.tokens[index].compare(b.tokens[index])
            if order != 0 { return order }
            index += 1
        }
        let left = index < a.tokens.count ? a.tokens[index] : nil
        let right = index < b.tokens.count ? b.tokens[index] : nil
        if left == nil && right == nil { return 0 }
        // One side goes on: it is newer, unless what follows is a pre-release suffix.
        if let left, left.kind == .suffix, left.number < AlpineToken.noSuffix { return -1 }
        if let right, right.kind == .suffix, right.number < AlpineToken.noSuffix { return 1 }
        let leftKind = left?.kind.rawValue ?? AlpineToken.Kind.end
        let rightKind = right?.kind.rawValue ?? AlpineToken.Kind.end
        return leftKind > rightKind ? -1 : 1
    }
}

/// One token of an apk version.
struct AlpineToken: Hashable {
    enum Kind: Int, Hashable {
        case initialDigit, digit, letter, suffix, suffixNumber, commitHash, revision
        static let end = 7
    }

    var kind: Kind
    /// The token's text (digits, letter, suffix word, hash).
    var text: Substring
    /// The numeric value for number tokens, the suffix rank for suffixes.
    var number: UInt64

    static let suffixes = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"]
    /// The rank of "no suffix": pre-release suffixes rank below it.
    static let noSuffix: UInt64 = 4

    var sortKey: String {
        switch kind {
        case .digit where text.first == "0": "s" + text
        case .initialDigit, .digit, .suffixNumber, .revision, .suffix: "n\(number)"
        case .letter, .commitHash: "s" + text
        }
    }

    func compare(_ other: AlpineToken) -> Int {
        switch kind {
        case .digit where text.first == "0" || other.text.first == "0", .commitHash:
            // A leading zero makes the component a fraction: compare the strings.
            return text == other.text ? 0 : (text.lexicographicallyPrecedes(other.text) ? -1 : 1)
        case .letter:
            return text == other.text ? 0 : (text < other.text ? -1 : 1)
        default:
            return number == other.number ? 0 : (number < other.number ? -1 : 1)
        }
    }

    /// The tokens of `text`, or `nil` if apk would reject it.
    static func tokenize(_ text: String) -> [AlpineToken]? {
        let characters = Substring(text)
        var index = characters.startIndex
        var tokens: [AlpineToken] = []

        func digits(_ kind: Kind) -> AlpineToken? {
            let start = index
            while index < characters.endIndex, characters[index].isASCII, characters[index].isNumber {
                index = characters.index(after: index)
            }
            guard start < index else { return nil }
            let run = characters[start..<index]
            // Numbers that overflow are compared by their digits' value saturated: such
            // versions do not occur, and must not crash.
            return AlpineToken(kind: kind, text: run, number: UInt64(run) ?? UInt64.max)
        }

        guard let first = digits(.initialDigit) else { return nil }
        tokens.append(first)
        while index < characters.endIndex {
            let previous = tokens.last?.kind.rawValue ?? Kind.initialDigit.rawValue
            let character = characters[index]
            switch character {
            case "a"..."z":
                guard previous <= Kind.digit.rawValue else { return nil }
                tokens.append(AlpineToken(kind: .letter, text: characters[index...index], number: 0))
                index = characters.index(after: index)
            case ".":
                guard previous <= Kind.digit.rawValue else { return nil }
                index = characters.index(after: index)
                guard let token = digits(.digit) else { return nil }
                tokens.append(token)
            case "0"..."9":
                guard tokens.last?.kind == .suffix, let token = digits(.suffixNumber) else { return nil }
                tokens.append(token)
            case "_":
                guard previous <= Kind.suffixNumber.rawValue else { return nil }
                index = characters.index(after: index)
                let start = index
                while index < characters.endIndex, ("a"..."z").contains(characters[index]) {
                    index = characters.index(after: index)
                }
                let word = characters[start..<index]
                guard !word.isEmpty, let rank = suffixes.firstIndex(of: String(word)) else { return nil }
                tokens.append(AlpineToken(kind: .suffix, text: word, number: UInt64(rank)))
            case "~":
                guard previous < Kind.commitHash.rawValue else { return nil }
                index = characters.index(after: index)
                let start = index
                while index < characters.endIndex, characters[index].isHexDigit {
                    index = characters.index(after: index)
                }
                guard start < index else { return nil }
                tokens.append(AlpineToken(kind: .commitHash, text: characters[start..<index], number: 0))
            case "-":
                guard previous < Kind.revision.rawValue else { return nil }
                index = characters.index(after: index)
                guard index < characters.endIndex, characters[index] == "r" else { return nil }
                index = characters.index(after: index)
                guard let token = digits(.revision) else { return nil }
                tokens.append(token)
            default:
                return nil
            }
        }
        return tokens
    }
}
