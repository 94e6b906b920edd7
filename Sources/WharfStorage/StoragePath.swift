/// A validated path inside a storage driver: `/` followed by one or more components of
/// `[A-Za-z0-9._-]`, none of them empty, `.` or `..`.
///
/// This is Distribution's driver path grammar plus the traversal rules, so no path that
/// reaches a driver can escape its root, whatever a client put in a repository name.
public struct StoragePath: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral
{
    /// The path string, always starting with `/` (the root itself is `/`).
    public let rawValue: String

    /// The root of the driver.
    public static let root = StoragePath(unchecked: "/")

    /// The longest path accepted.
    public static let maximumLength = 4096

    /// Validates `string` as a driver path.
    public init(_ string: String) throws(StorageError) {
        guard string != "/" else {
            self = .root
            return
        }
        guard string.utf8.count <= Self.maximumLength else {
            throw .invalidPath(string, reason: "longer than \(Self.maximumLength) bytes")
        }
        guard string.hasPrefix("/") else { throw .invalidPath(string, reason: "must start with '/'") }
        for component in string.utf8.dropFirst().split(
            separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        {
            try Self.validate(component: component, in: string)
        }
        rawValue = string
    }

    /// A path literal; literals in Wharf's own code are valid by construction.
    public init(stringLiteral value: String) {
        self.init(unchecked: value)
    }

    private init(unchecked: String) {
        rawValue = unchecked
    }

    /// This path with `components` appended, each validated.
    public func appending(_ components: String...) throws(StorageError) -> StoragePath {
        try appending(contentsOf: components)
    }

    /// This path with `components` appended, each validated.
    public func appending(contentsOf components: [String]) throws(StorageError) -> StoragePath {
        var result = self == .root ? "" : rawValue
        for component in components {
            let bytes = Array(component.utf8)
            // A component may itself hold several segments ("a/b"); each is checked.
            for piece in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
                try Self.validate(component: piece, in: component)
            }
            result += "/" + component
        }
        guard result.utf8.count <= Self.maximumLength else {
            throw .invalidPath(result, reason: "longer than \(Self.maximumLength) bytes")
        }
        return StoragePath(unchecked: result.isEmpty ? "/" : result)
    }

    /// The path's components.
    public var components: [String] {
        rawValue.split(separator: "/").map(String.init)
    }

    /// The last component (empty for the root).
    public var lastComponent: String {
        guard let slash = rawValue.lastIndex(of: "/") else { return rawValue }
        return String(rawValue[rawValue.index(after: slash)...])
    }

    /// The parent directory (the root is its own parent).
    public var parent: StoragePath {
        guard let slash = rawValue.lastIndex(of: "/"), slash != rawValue.startIndex else { return .root }
        return StoragePath(unchecked: String(rawValue[..<slash]))
    }

    /// Whether `self` is `other` or lies below it.
    public func isWithin(_ other: StoragePath) -> Bool {
        other == .root || rawValue == other.rawValue || rawValue.hasPrefix(other.rawValue + "/")
    }

    /// The path as a string.
    public var description: String { rawValue }

    /// Orders paths component by component, the depth-first order `walk` visits them in
    /// (`/a/b` < `/a/b/c` < `/a/b-c`, unlike plain string order).
    public static func < (lhs: StoragePath, rhs: StoragePath) -> Bool {
        // Component order is byte order with "/" below every other byte: no splitting.
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8) { left, right in
            (left == UInt8(ascii: "/") ? 0 : left) < (right == UInt8(ascii: "/") ? 0 : right)
        }
    }

    private static func validate(component: some Collection<UInt8>, in string: String) throws(StorageError) {
        guard !component.isEmpty else { throw .invalidPath(string, reason: "empty path component") }
        guard !(component.count <= 2 && component.allSatisfy({ $0 == UInt8(ascii: ".") })) else {
            throw .invalidPath(string, reason: "'.' and '..' are not allowed")
        }
        guard component.count <= 255 else {
            throw .invalidPath(string, reason: "component longer than 255 bytes")
        }
        for byte in component where !isPathCharacter(byte) {
            throw .invalidPath(string, reason: "components may contain only [A-Za-z0-9._-]")
        }
    }

    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
