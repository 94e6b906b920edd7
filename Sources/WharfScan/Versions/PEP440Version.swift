/// A Python package version as PEP 440 defines it, normalized (`1.0-Alpha.1` is `1.0a1`,
/// `1.0-1` is `1.0.post1`) and ordered as pip and `packaging` order it: epoch, release
/// without trailing zeros, pre-release (a < b < rc, and a bare `.dev` before all of them),
/// post-release, development release, local version label.
public struct PEP440Version: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The epoch (`1!` in `1!2.0`), 0 when absent.
    public let epoch: UInt64
    /// The release numbers (`[2, 0, 1]`), trailing zeros kept as written.
    public let release: [UInt64]
    /// `("a" | "b" | "rc", number)`.
    public let pre: PreRelease?
    /// The post-release number (`.post1`, or the `-1` of `1.0-1`).
    public let post: UInt64?
    /// The development release number (`.dev3`).
    public let dev: UInt64?
    /// Local label segments, lowercased (`["ubuntu", "1"]`).
    public let local: [String]

    /// A pre-release marker.
    public struct PreRelease: Sendable, Hashable {
        /// `a`, `b` or `rc`, normalized from alpha, beta, c, pre, preview.
        public let phase: String
        /// The number after the phase (0 when absent).
        public let number: UInt64
    }

    /// Parses a version; `nil` when it is not valid PEP 440.
    public init?(_ text: String) {
        var scanner = PEP440Scanner(text.lowercased().trimmed)
        if scanner.take("v") {}
        var epoch: UInt64 = 0
        var release: [UInt64] = []
        guard let first = scanner.number() else { return nil }
        if scanner.take("!") {
            epoch = first
            guard let major = scanner.number() else { return nil }
            release = [major]
        } else {
            release = [first]
        }
        while scanner.peek(".") && scanner.peekDigit(after: 1) {
            _ = scanner.take(".")
            guard let part = scanner.number() else { return nil }
            release.append(part)
        }
        var pre: PreRelease?
        let mark = scanner.position
        _ = scanner.separator()
        if let phase = scanner.word([
            "alpha": "a", "beta": "b", "preview": "rc", "pre": "rc", "rc": "rc", "a": "a", "b": "b",
            "c": "rc",
        ]) {
            _ = scanner.separator()
            pre = PreRelease(phase: phase, number: scanner.number() ?? 0)
        } else {
            scanner.position = mark
        }
        var post: UInt64?
        let postMark = scanner.position
        if scanner.take("-"), let implicit = scanner.number() {
            post = implicit  // "1.0-1"
        } else {
            scanner.position = postMark
            _ = scanner.separator()
            if scanner.word(["post": "post", "rev": "post", "r": "post"]) != nil {
                _ = scanner.separator()
                post = scanner.number() ?? 0
            } else {
                scanner.position = postMark
            }
        }
        var dev: UInt64?
        let devMark = scanner.position
        _ = scanner.separator()
        if scanner.word(["dev": "dev"]) != nil {
            _ = scanner.separator()
            dev = scanner.number() ?? 0
        } else {
            scanner.position = devMark
        }
        var local: [String] = []
        if scanner.take("+") {
            let label = scanner.rest()
            let segments = label.split(
                omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" })
            guard !segments.isEmpty,
                segments.allSatisfy({
                    !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
                })
            else {
                return nil
            }
            local = segments.map(String.init)
        }
        guard scanner.atEnd else { return nil }
        self.epoch = epoch
        self.release = release
        self.pre = pre
        self.post = post
        self.dev = dev
        self.local = local
    }

    /// The normalized form (`1.0rc1.post2.dev3+local.1`).
    public var description: String {
        var text = epoch > 0 ? "\(epoch)!" : ""
        text += release.map(String.init).joined(separator: ".")
        if let pre { text += "\(pre.phase)\(pre.number)" }
        if let post { text += ".post\(post)" }
        if let dev { text += ".dev\(dev)" }
        if !local.isEmpty { text += "+" + local.joined(separator: ".") }
        return text
    }

    /// `packaging`'s order.
    public static func < (lhs: PEP440Version, rhs: PEP440Version) -> Bool {
        lhs.key < rhs.key
    }

    /// Equal in `packaging`'s order (`1.0` == `1.0.0`).
    public static func == (lhs: PEP440Version, rhs: PEP440Version) -> Bool {
        lhs.key == rhs.key
    }

    /// Hashes the comparison key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }

    private var key: SortKey {
        var trimmed = release
        while trimmed.count > 1, trimmed.last == 0 { trimmed.removeLast() }
        let preKey: SortKey.Pre =
            if pre == nil && post == nil && dev != nil { .beforeAll } else if let pre {
                .release(["a": 0, "b": 1, "rc": 2][pre.phase] ?? 2, pre.number)
            } else { .afterAll }
        return SortKey(
            epoch: epoch, release: trimmed, pre: preKey, post: post.map { Int64($0) } ?? -1,
            dev: dev.map { Int64($0) } ?? Int64.max, local: local)
    }

    private struct SortKey: Hashable, Comparable {
        enum Pre: Hashable, Comparable {
            case beforeAll
            case release(Int, UInt64)
            case afterAll
        }
        var epoch: UInt64
        var release: [UInt64]
        var pre: Pre
        var post: Int64
        var dev: Int64
        var local: [String]

        static func < (lhs: SortKey, rhs: SortKey) -> Bool {
            if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch }
            // Trailing zeros are gone, so a strict prefix is smaller (`1.1` < `1.1.1`).
            if lhs.release != rhs.release { return lhs.release.lexicographicallyPrecedes(rhs.release) }
            if lhs.pre != rhs.pre { return lhs.pre < rhs.pre }
            if lhs.post != rhs.post { return lhs.post < rhs.post }
            if lhs.dev != rhs.dev { return lhs.dev < rhs.dev }
            return localPrecedes(lhs.local, rhs.local)
        }

        /// No label first; then segment by segment, numbers after words, numbers by value.
        private static func localPrecedes(_ a: [String], _ b: [String]) -> Bool {
            if a.isEmpty != b.isEmpty { return a.isEmpty }
            for (left, right) in zip(a, b) where left != right {
                switch (UInt64(left), UInt64(right)) {
                case (let l?, let r?): if l != r { return l < r }
                case (.some, nil): return false
                case (nil, .some): return true
                case (nil, nil): return left < right
                }
            }
            return a.count < b.count
        }
    }
}

/// A cursor over a version string.
private struct PEP440Scanner {
    let characters: [Character]
    var position = 0

    init(_ text: String) { characters = Array(text) }

    var atEnd: Bool { position == characters.count }

    func peek(_ character: Character) -> Bool {
        position < characters.count && characters[position] == character
    }

    func peekDigit(after offset: Int) -> Bool {
        position + offset < characters.count && characters[position + offset].isASCII
            && characters[position + offset].isNumber
    }

    mutating func take(_ character: Character) -> Bool {
        guard peek(character) else { return false }
        position += 1
        return true
    }

    mutating func separator() -> Bool {
        take(".") || take("-") || take("_")
    }

    mutating func number() -> UInt64? {
        let start = position
        while position < characters.count, characters[position].isASCII, characters[position].isNumber {
            position += 1
        }
        guard position > start else { return nil }
        return UInt64(String(characters[start..<position]))
    }

    /// The longest of `words` at the cursor, mapped to its normal form.
    mutating func word(_ words: [String: String]) -> String? {
        for candidate in words.keys.sorted(by: { $0.count > $1.count }) {
            let end = position + candidate.count
            if end <= characters.count, String(characters[position..<end]) == candidate {
                position = end
                return words[candidate]
            }
        }
        return nil
    }

    mutating func rest() -> String {
        defer { position = characters.count }
        return String(characters[position...])
    }
}
