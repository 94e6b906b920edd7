/// How an ecosystem orders its versions: a named comparison.
///
/// Wharf knows dpkg's, apk-tools', PEP 440 and Semantic Versioning; an embedder's own
/// ecosystem brings its own scheme (`VersionScheme(name:compare:)`).
public struct VersionScheme: Sendable, Hashable, CustomStringConvertible {
    /// The scheme's name (`debian`, `semver`, ...); schemes are equal when their names are.
    public let name: String
    private let comparator: @Sendable (String, String) -> Int?

    /// Creates a scheme from a comparison that returns a negative number, zero or a
    /// positive number, or `nil` when either version cannot be read in the scheme.
    public init(name: String, compare: @escaping @Sendable (String, String) -> Int?) {
        self.name = name
        self.comparator = compare
    }

    /// Compares two versions; `nil` when either cannot be read in this scheme.
    public func compare(_ lhs: String, _ rhs: String) -> Int? {
        comparator(lhs, rhs)
    }

    /// The scheme's name.
    public var description: String { name }

    /// Schemes are equal when their names are.
    public static func == (lhs: VersionScheme, rhs: VersionScheme) -> Bool { lhs.name == rhs.name }

    /// Hashes the name.
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// dpkg's order.
    public static let debian = VersionScheme(name: "debian") { lhs, rhs in
        guard let left = DebianVersion(lhs), let right = DebianVersion(rhs) else { return nil }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    /// Semantic Versioning 2.0.0 (npm, Go, OSV `SEMVER` ranges).
    public static let semver = VersionScheme(name: "semver") { lhs, rhs in
        guard let left = SemanticVersion(lhs), let right = SemanticVersion(rhs) else { return nil }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    /// PEP 440 (PyPI).
    public static let pep440 = VersionScheme(name: "pep440") { lhs, rhs in
        guard let left = PEP440Version(lhs), let right = PEP440Version(rhs) else { return nil }
        return left < right ? -1 : (left == right ? 0 : 1)
    }

    /// apk-tools' order (Alpine).
    public static let alpine = VersionScheme(name: "alpine") { lhs, rhs in
        guard let left = AlpineVersion(lhs), let right = AlpineVersion(rhs) else { return nil }
        return AlpineVersion.compare(left, right)
    }

    /// The scheme OSV's `ECOSYSTEM` ranges of `ecosystem` use; `nil` for ecosystems this
    /// version cannot order yet (such advisories are matched by exact `versions` only).
    public static func forEcosystem(_ ecosystem: String) -> VersionScheme? {
        let base = ecosystem.split(separator: ":").first.map(String.init) ?? ecosystem
        switch base {
        case "Debian", "Ubuntu": return .debian
        case "npm", "Go", "crates.io", "Hex", "Pub": return .semver
        case "PyPI": return .pep440
        case "Alpine": return .alpine
        default: return nil
        }
    }
}
