public import Foundation

/// Writes a scan as an SPDX 2.3 JSON document: the image as the described package, its
/// packages contained in it (purls as package-manager references), and each finding as a
/// security advisory reference on the affected package (SPDX 2.3 has no vulnerability
/// section; this is the form its spec suggests). Declared licenses become SPDX expressions;
/// names outside the SPDX list are `LicenseRef-`s defined in the document.
public struct SPDXWriter: Sendable {
    /// The tool version recorded as the creator.
    public var toolVersion: String

    /// Creates a writer.
    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    /// The document for `report`, created at `date`.
    public func write(_ report: ScanReport, date: Date = Date()) throws -> Data {
        var advisories: [SoftwarePackage: [Finding]] = [:]
        for finding in report.findings { advisories[finding.package, default: []].append(finding) }
        var packages: [[String: Any]] = [
            [
                "name": report.reference, "SPDXID": "SPDXRef-Image", "versionInfo": report.digest.description,
                "downloadLocation": "NOASSERTION", "filesAnalyzed": false,
                "primaryPackagePurpose": "CONTAINER",
                "licenseConcluded": "NOASSERTION", "licenseDeclared": "NOASSERTION",
                "copyrightText": "NOASSERTION",
            ]
        ]
        var relationships: [[String: Any]] = [
            [
                "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                "relatedSpdxElement": "SPDXRef-Image",
            ]
        ]
        var extractedLicenses: [String: [String: Any]] = [:]
        for (index, package) in report.packages.enumerated() {
            let identifier = "SPDXRef-Package-\(index + 1)"
            let declared = SPDXLicense.declaredExpression(package.licenses)
            for reference in declared?.references ?? [] where extractedLicenses[reference.id] == nil {
                extractedLicenses[reference.id] = [
                    "licenseId": reference.id, "name": reference.name,
                    "extractedText":
                        "The license a package declares as \"\(reference.name)\"; its text is not recorded.",
                ]
            }
            var externalReferences: [[String: Any]] = [
                [
                    "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                    "referenceLocator": package.purl.description,
                ]
            ]
            for finding in advisories[package] ?? [] {
                externalReferences.append([
                    "referenceCategory": "SECURITY", "referenceType": "advisory",
                    "referenceLocator": "https://osv.dev/vulnerability/\(finding.advisoryID)",
                    "comment": "\(finding.severity.rawValue)"
                        + (finding.fixedVersion.map { ", fixed in \($0)" } ?? ", no fix")
                        + (finding.aliases.isEmpty ? "" : " (\(finding.aliases.joined(separator: ", ")))"),
                ])
            }
            packages.append([
                "name": package.name, "SPDXID": identifier, "versionInfo": package.version,
                "downloadLocation": "NOASSERTION", "filesAnalyzed": false, "licenseConcluded": "NOASSERTION",
                "licenseDeclared": declared?.expression ?? "NOASSERTION", "copyrightText": "NOASSERTION",
                "externalRefs": externalReferences,
                "sourceInfo": "found in \(package.foundIn), layer \(package.layer.digest)",
            ])
            relationships.append([
                "spdxElementId": "SPDXRef-Image", "relationshipType": "CONTAINS",
                "relatedSpdxElement": identifier,
            ])
        }
        var document: [String: Any] = [
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
            "name": report.reference,
            "documentNamespace":
                "https://wharf.invalid/spdx/\(report.digest.encoded)/\(UUID().uuidString.lowercased())",
            "creationInfo": [
                "created": date.formatted(.iso8601), "creators": ["Tool: wharf-\(toolVersion)"],
            ],
            "packages": packages, "relationships": relationships,
        ]
        if !extractedLicenses.isEmpty {
            document["hasExtractedLicensingInfos"] = extractedLicenses.keys.sorted().compactMap {
                extractedLicenses[$0]
            }
        }
        return try JSONSerialization.data(
            withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }
}
