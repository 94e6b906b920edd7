/// How an ecosystem orders its versions.
public enum VersionScheme: Sendable, Hashable {
    /// dpkg's order.
    case debian
    /// Semantic Versioning 2.0.0 (npm, Go, OSV `SEMVER` ranges).
    case semver
    /// PEP 440 (PyPI).
    case pep440
    /// apk-tools' order (Alpine).
    case alpine

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

    /// Compares two versions; `nil` when either cannot be read in this scheme.
    public func compare(_ lhs: String, _ rhs: String) -> Int? {
        switch self {
        case .debian:
            guard let left = DebianVersion(lhs), let right = DebianVersion(rhs) else { return nil }
            return left < right ? -1 : (left == right ? 0 : 1)
        case .semver:
            guard let left = SemanticVersion(lhs), let right = SemanticVersion(rhs) else { return nil }
            return left < right ? -1 : (left == right ? 0 : 1)
        case .pep440:
            guard let left = PEP440Version(lhs), let right = PEP440Version(rhs) else { return nil }
            return left < right ? -1 : (left == right ? 0 : 1)
        case .alpine:
            guard let left = AlpineVersion(lhs), let right = AlpineVersion(rhs) else { return nil }
            return AlpineVersion.compare(left, right)
        }
    }
}
