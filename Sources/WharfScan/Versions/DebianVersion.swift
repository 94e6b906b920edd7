/// A Debian package version, `[epoch:]upstream[-revision]`, ordered exactly as
/// `dpkg --compare-versions` orders them: epochs numerically, then upstream and revision
/// by dpkg's `verrevcmp` (digit runs numerically, other characters with `~` before
/// everything, even the end, and letters before non-letters).
public struct DebianVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The epoch (0 when absent).
    public let epoch: UInt64
    /// The upstream version.
    public let upstream: String
    /// The Debian revision (empty when absent).
    public let revision: String

    /// Parses a version; `nil` exactly where dpkg reports an error (empty, whitespace, an
    /// empty or non-numeric epoch, an empty upstream part or revision). Like dpkg, mere
    /// warnings (a letter first, unusual characters) are compared, not refused.
    public init?(_ text: String) {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else { return nil }
        var rest = Substring(trimmed)
        if let colon = rest.firstIndex(of: ":") {
            guard let epoch = UInt64(rest[..<colon]) else { return nil }
            self.epoch = epoch
            rest = rest[rest.index(after: colon)...]
        } else {
            epoch = 0
        }
        if let dash = rest.lastIndex(of: "-") {
            upstream = String(rest[..<dash])
            revision = String(rest[rest.index(after: dash)...])
            guard !revision.isEmpty else { return nil }  // dpkg: "revision number is empty"
        } else {
            upstream = String(rest)
            revision = ""
        }
        guard !upstream.isEmpty else { return nil }
    }

    /// The version as written by dpkg (epoch only when non-zero).
    public var description: String {
        (epoch > 0 ? "\(epoch):" : "") + upstream + (revision.isEmpty ? "" : "-" + revision)
    }

    /// dpkg's order.
    public static func < (lhs: DebianVersion, rhs: DebianVersion) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Equal in dpkg's order (`1.0` and `1.00` are equal).
    public static func == (lhs: DebianVersion, rhs: DebianVersion) -> Bool {
        compare(lhs, rhs) == 0
    }

    /// Hashes consistently with dpkg equality: digit runs without leading zeros.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(epoch)
        hasher.combine(Self.canonical(upstream))
        hasher.combine(Self.canonical(revision))
    }

    static func compare(_ lhs: DebianVersion, _ rhs: DebianVersion) -> Int {
        if lhs.epoch != rhs.epoch { return lhs.epoch < rhs.epoch ? -1 : 1 }
        let upstream = verrevcmp(Array(lhs.upstream.utf8), Array(rhs.upstream.utf8))
        if upstream != 0 { return upstream }
        return verrevcmp(Array(lhs.revision.utf8), Array(rhs.revision.utf8))
    }

    /// The weight of a non-digit character: `~` sorts first, then the end of the string,
    /// then letters, then everything else.
    private static func order(_ byte: UInt8?) -> Int {
        guard let byte else { return 0 }
        if byte == UInt8(ascii: "~") { return -1 }
        if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return 0 }
        if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
        {
            return Int(byte)
        }
        return Int(byte) + 256
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    static func verrevcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            // Non-digit prefixes, character by character.
            while (i < a.count && !isDigit(a[i])) || (j < b.count && !isDigit(b[j])) {
                let left = order(i < a.count && !isDigit(a[i]) ? a[i] : nil)
                let right = order(j < b.count && !isDigit(b[j]) ? b[j] : nil)
                if left != right { return left < right ? -1 : 1 }
                if i < a.count && !isDigit(a[i]) { i += 1 }
                if j < b.count && !isDigit(b[j]) { j += 1 }
            }
            // Digit runs, numerically: skip leading zeros, then longer is bigger.
            while i < a.count && a[i] == UInt8(ascii: "0") { i += 1 }
            while j < b.count && b[j] == UInt8(ascii: "0") { j += 1 }
            var startI = i
            var startJ = j
            while i < a.count && isDigit(a[i]) { i += 1 }
            while j < b.count && isDigit(b[j]) { j += 1 }
            let lengthA = i - startI
            let lengthB = j - startJ
            if lengthA != lengthB { return lengthA < lengthB ? -1 : 1 }
            while startI < i {
                if a[startI] != b[startJ] { return a[startI] < b[startJ] ? -1 : 1 }
                startI += 1
                startJ += 1
            }
        }
        return 0
    }

    private static func canonical(_ part: String) -> String {
        var result = ""
        var digits = ""
        func flush() {
            // verrevcmp compares digit runs by value, and an all-zero run like no run.
            result += String(digits.drop { $0 == "0" })
            digits = ""
        }
        for character in part {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}
