public import Foundation

/// Writes a scan as a CycloneDX 1.6 JSON BOM: the image as the described component, its
/// packages as components (with purls and the layer they came from), and the findings as
/// vulnerabilities that reference them.
public struct CycloneDXWriter: Sendable {
    /// The tool version recorded in the BOM's metadata.
    public var toolVersion: String

    /// Creates a writer.
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    /// CycloneDX's `licenses`: one entry per declared license — an SPDX id, or a name —
    /// or, when one of them is a compound expression, the whole as a single expression
    /// (the schema allows either form, not a mix).
    static func licenses(_ declared: [String]) -> [[String: Any]]? {
        guard !declared.isEmpty else { return nil }
        let converted = declared.map { SPDXLicense.expression(for: $0) }
        if converted.allSatisfy({ $0.map(SPDXLicense.isSingleIdentifier) ?? true }) {
            var seen = Set<String>()
            return zip(declared, converted).compactMap { name, id in
                guard seen.insert(id ?? name).inserted else { return nil }
                return ["license": id.map { ["id": $0] } ?? ["name": name]]
            }
        }
        return SPDXLicense.declaredExpression(declared).map { [["expression": $0.expression]] }
    }

    /// The BOM for `report` (findings included when it has any), timestamped `date`.
    public func write(_ report: ScanReport, date: Date = Date()) throws -> Data {
        let references = BOMReferences(report.packages)
        var components: [[String: Any]] = []
        for (index, package) in report.packages.enumerated() {
            var component: [String: Any] = [
                "type": "library", "bom-ref": references.reference(at: index), "name": package.name,
                "version": package.version, "purl": package.purl.description,
            ]
            var properties = [
                ["name": "wharf:foundIn", "value": package.foundIn],
                ["name": "wharf:layer:digest", "value": package.layer.digest.description],
                ["name": "wharf:ecosystem", "value": package.ecosystem.osvName],
            ]
            if let diffID = package.layer.diffID {
                properties.append(["name": "wharf:layer:diffID", "value": diffID.description])
            }
            if let source = package.sourceName {
                properties.append(["name": "wharf:sourceName", "value": source])
            }
            component["properties"] = properties
            if let licenses = Self.licenses(package.licenses) { component["licenses"] = licenses }
            components.append(component)
        }
        var vulnerabilities: [[String: Any]] = []
        for (index, finding) in report.findings.enumerated() {
            var vulnerability: [String: Any] = [
                "bom-ref": "vulnerability-\(index + 1)", "id": finding.advisoryID,
                "source": ["name": "OSV", "url": "https://osv.dev/vulnerability/\(finding.advisoryID)"],
                "affects": [["ref": references.reference(for: finding.package)]],
            ]
            var rating: [String: Any] = [
                "severity": finding.severity == .unknown ? "unknown" : finding.severity.rawValue.lowercased()
            ]
            if let score = finding.score {
                rating["score"] = score
                if let vector = finding.vector {
                    rating["vector"] = vector
                    rating["method"] =
                        vector.hasPrefix("CVSS:4.0/")
                        ? "CVSSv4" : vector.hasPrefix("CVSS:3.0/") ? "CVSSv3" : "CVSSv31"
                }
            }
            vulnerability["ratings"] = [rating]
            if let summary = finding.summary { vulnerability["description"] = summary }
            if let fixed = finding.fixedVersion {
                vulnerability["recommendation"] = "Upgrade \(finding.package.name) to \(fixed)"
            }
            if !finding.aliases.isEmpty {
                vulnerability["references"] = finding.aliases.map { ["id": $0, "source": ["name": "OSV"]] }
            }
            vulnerabilities.append(vulnerability)
        }
        var bom: [String: Any] = [
            "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "serialNumber": "urn:uuid:\(UUID().uuidString.lowercased())",
            "metadata": [
                "timestamp": date.formatted(.iso8601),
                "tools": ["components": [["type": "application", "name": "wharf", "version": toolVersion]]],
                "component": [
                    "type": "container", "bom-ref": "image", "name": report.reference,
                    "version": report.digest.description,
                ],
            ],
            "components": components,
        ]
        if !vulnerabilities.isEmpty { bom["vulnerabilities"] = vulnerabilities }
        return try JSONSerialization.data(
            withJSONObject: bom, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}

/// Unique `bom-ref`s for packages: the purl, with a counter when two packages share one
/// (the same package installed twice, at different paths).
struct BOMReferences {
    private var references: [String] = []
    private var byPackage: [SoftwarePackage: String] = [:]

    init(_ packages: [SoftwarePackage]) {
        var seen: [String: Int] = [:]
        for package in packages {
            let purl = package.purl.description
            let count = seen[purl, default: 0]
            seen[purl] = count + 1
            let reference = count == 0 ? purl : "\(purl)#\(count + 1)"
            references.append(reference)
            byPackage[package] = byPackage[package] ?? reference
        }
    }

    func reference(at index: Int) -> String { references[index] }

    func reference(for package: SoftwarePackage) -> String { byPackage[package] ?? package.purl.description }
}
