/// A package ecosystem, named as OSV names them (`Debian:12`, `PyPI`, `crates.io`), so that
/// packages and advisories meet under one name.
///
/// The type is open: a cataloger of an embedder's own makes packages of any ecosystem
/// (`Ecosystem("Hackage")`), and they flow into matching, reports and SBOMs like built-in
/// ones. An ecosystem whose version order Wharf does not know brings its own
/// ``versionScheme``, or its advisories match exact `versions` only.
public struct Ecosystem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The OSV ecosystem name without release (`Debian`, `Alpine`, `PyPI`, `npm`, `Go`).
    public var name: String
    /// The release for distributions (`12` for Debian, `v3.19` for Alpine), when known.
    public var release: String?
    /// How the ecosystem orders versions, when it is not one Wharf knows by name (see
    /// ``VersionScheme/forEcosystem(_:)``). Not part of the ecosystem's identity or its
    /// encoding.
    public var versionScheme: VersionScheme?

    /// Creates an ecosystem.
    public init(_ name: String, release: String? = nil, versionScheme: VersionScheme? = nil) {
        self.name = name
        self.release = release
        self.versionScheme = versionScheme
    }

    /// Parses an OSV ecosystem string (`Debian:12`, `PyPI`).
    public init(osvName: String) {
        if let colon = osvName.firstIndex(of: ":") {
            self.init(String(osvName[..<colon]), release: String(osvName[osvName.index(after: colon)...]))
        } else {
            self.init(osvName)
        }
    }

    /// The OSV ecosystem string: `Debian:12`, `Alpine:v3.19`, `PyPI`, `npm`, `Go`.
    public var osvName: String {
        release.map { "\(name):\($0)" } ?? name
    }

    /// The OSV ecosystem string.
    public var description: String { osvName }

    /// The order versions of this ecosystem compare in: its own scheme, or the one Wharf
    /// knows for its name; `nil` when neither exists.
    public var effectiveVersionScheme: VersionScheme? {
        versionScheme ?? VersionScheme.forEcosystem(name)
    }

    /// Debian packages; `release` is the major version (`12`) when known.
    public static func debian(release: String?) -> Ecosystem { Ecosystem("Debian", release: release) }
    /// Alpine packages; `release` is `v3.19` style when known.
    public static func alpine(release: String?) -> Ecosystem { Ecosystem("Alpine", release: release) }
    /// Python packages.
    public static let pypi = Ecosystem("PyPI")
    /// npm packages.
    public static let npm = Ecosystem("npm")
    /// Go modules.
    public static let go = Ecosystem("Go")

    /// Ecosystems are the same when their OSV names are.
    public static func == (lhs: Ecosystem, rhs: Ecosystem) -> Bool { lhs.osvName == rhs.osvName }

    /// Hashes the OSV name.
    public func hash(into hasher: inout Hasher) { hasher.combine(osvName) }

    /// Decodes the OSV ecosystem string.
    public init(from decoder: any Decoder) throws {
        self.init(osvName: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the OSV ecosystem string (`"Debian:12"`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(osvName)
    }
}
