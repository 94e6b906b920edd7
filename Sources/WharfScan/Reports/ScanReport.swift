public import Foundation
public import WharfContent

/// What a scan found: the image, its OS, its packages and their vulnerabilities.
public struct ScanReport: Sendable, Codable {
    /// The report format's version; bumped on incompatible changes.
    public var schemaVersion = 2
    /// The reference scanned, as given.
    public var reference: String
    /// The digest of the image manifest scanned.
    public var digest: OCIDigest
    /// The operating system, when detected.
    public var os: OSRelease?
    /// Every package found.
    public var packages: [SoftwarePackage]
    /// Every finding, worst first.
    public var findings: [Finding]

    /// Creates a report.
    public init(
        reference: String, digest: OCIDigest, os: OSRelease?, packages: [SoftwarePackage], findings: [Finding]
    ) {
        self.reference = reference
        self.digest = digest
        self.os = os
        self.packages = packages
        self.findings = findings
    }

    /// The report with only the findings `filter` keeps.
    public func filtered(_ filter: FindingFilter) -> ScanReport {
        var copy = self
        copy.findings = findings.filter { finding in
            filter.keeps(finding)
                && !filter.vex.contains {
                    $0.clears(finding, reference: reference, digest: digest.description)
                }
        }
        return copy
    }

    /// JSON with sorted keys, as documented in Docs/scan-report.md.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A table for a terminal: one row per finding.
    public func table() -> String {
        var lines = ["\(reference) (\(digest))"]
        if let os { lines.append("OS: \(os.prettyName ?? "\(os.id) \(os.versionID ?? "")")") }
        let counts = Severity.allCases.reversed().map { severity in
            "\(severity.rawValue): \(findings.filter { $0.severity == severity }.count)"
        }
        lines.append(
            "Packages: \(packages.count). Findings: \(findings.count) (\(counts.joined(separator: ", ")))")
        guard !findings.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        let header = ["PACKAGE", "INSTALLED", "FIXED", "SEVERITY", "ADVISORY", "ALIASES"]
        let rows = findings.map { finding in
            [
                finding.package.name, finding.package.version, finding.fixedVersion ?? "-",
                finding.severity.rawValue,
                finding.advisoryID, finding.aliases.joined(separator: ","),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1
                    ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        lines.append("")
        lines.append(format(header))
        lines.append(contentsOf: rows.map(format))
        return lines.joined(separator: "\n") + "\n"
    }
}
