/// A package version affected by an advisory.
public struct Finding: Sendable, Hashable, Codable {
    /// The package.
    public var package: SoftwarePackage
    /// The advisory's identifier.
    public var advisoryID: String
    /// Other identifiers (CVE, GHSA, ...).
    public var aliases: [String]
    /// The advisory's summary.
    public var summary: String?
    /// How bad it is.
    public var severity: Severity
    /// The CVSS score it was rated by, when there was one.
    public var score: Double?
    /// The CVSS vector (`CVSS:3.1/...` or `CVSS:4.0/...`) the score was computed from.
    public var vector: String?
    /// The version that fixes it, when there is one.
    public var fixedVersion: String?

    /// Creates a finding.
    public init(
        package: SoftwarePackage, advisoryID: String, aliases: [String] = [], summary: String? = nil,
        severity: Severity,
        score: Double? = nil, vector: String? = nil, fixedVersion: String?
    ) {
        self.package = package
        self.advisoryID = advisoryID
        self.aliases = aliases
        self.summary = summary
        self.severity = severity
        self.score = score
        self.vector = vector
        self.fixedVersion = fixedVersion
    }
}
