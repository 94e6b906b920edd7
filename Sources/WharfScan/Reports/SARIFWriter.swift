public import Foundation

/// Writes findings as SARIF 2.1.0, the format code-scanning dashboards read: one rule per
/// advisory (with `security-severity` from its CVSS score), one result per affected
/// package, located at the file the package was found in.
public struct SARIFWriter: Sendable {
    /// The tool version recorded in the run.
    public var toolVersion: String

    /// Creates a writer.
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    /// The SARIF log for `report`.
    public func write(_ report: ScanReport) throws -> Data {
        var rules: [[String: Any]] = []
        var ruleIndex: [String: Int] = [:]
        var results: [[String: Any]] = []
        for finding in report.findings {
            if ruleIndex[finding.advisoryID] == nil {
                ruleIndex[finding.advisoryID] = rules.count
                var properties: [String: Any] = ["tags": ["security", "vulnerability"] + finding.aliases]
                if let score = finding.score {
                    properties["security-severity"] = String(format: "%.1f", score)
                }
                rules.append([
                    "id": finding.advisoryID, "name": finding.advisoryID,
                    "shortDescription": ["text": finding.summary ?? finding.advisoryID],
                    "helpUri": "https://osv.dev/vulnerability/\(finding.advisoryID)",
                    "properties": properties,
                ])
            }
            let fix = finding.fixedVersion.map { "; fixed in \($0)" } ?? "; no fix yet"
            results.append([
                "ruleId": finding.advisoryID, "ruleIndex": ruleIndex[finding.advisoryID] ?? 0,
                "level": Self.level(finding.severity),
                "message": [
                    "text":
                        "\(finding.package.name) \(finding.package.version) is affected by \(finding.advisoryID)"
                        + " (\(finding.severity.rawValue))\(fix). Image \(report.reference), layer \(finding.package.layer.digest)."
                ],
                "locations": [
                    ["physicalLocation": ["artifactLocation": ["uri": finding.package.foundIn]]]
                ],
            ])
        }
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "wharf", "version": toolVersion, "rules": rules,
                        ]
                    ],
                    "results": results,
                ]
            ],
        ]
        return try JSONSerialization.data(
            withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium: "warning"
        case .low, .unknown: "note"
        }
    }
}
