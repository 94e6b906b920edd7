import Foundation
import Testing
import WharfContent
import WharfScan

@Suite("Accepting findings: ignore files and OpenVEX")
struct SuppressionTests {
    static let digest = DigestHasher.digest(of: Array("image".utf8))

    static func report() -> ScanReport {
        let layer = LayerOrigin(index: 0, digest: digest, diffID: nil)
        func package(_ name: String) -> SoftwarePackage {
            SoftwarePackage(
                ecosystem: .debian(release: "12"), name: name, version: "1.0-1", architecture: "amd64",
                purl: PackageURL(
                    type: "deb", namespace: "debian", name: name, version: "1.0-1",
                    qualifiers: ["arch": "amd64"]),
                foundIn: "var/lib/dpkg/status", layer: layer)
        }
        let findings = [
            Finding(
                package: package("openssl"), advisoryID: "DSA-1", aliases: ["CVE-2024-0001"], severity: .high,
                fixedVersion: "1.0-2"),
            Finding(
                package: package("curl"), advisoryID: "DSA-2", aliases: ["CVE-2024-0002"], severity: .medium,
                fixedVersion: nil),
            Finding(
                package: package("zlib"), advisoryID: "DSA-3", aliases: ["CVE-2024-0003"], severity: .low,
                fixedVersion: "1.0-3"),
        ]
        return ScanReport(
            reference: "v1", digest: digest, os: nil, packages: findings.map(\.package), findings: findings)
    }

    @Test("ignore files hide ids and aliases until they expire; bad expiry dates are refused")
    func ignoreFile() throws {
        let list = try IgnoreList(
            contents: """
                # accepted risks
                CVE-2024-0001 exp:2025-06-30
                DSA-3   # no expiry
                """)
        let before = ISO8601DateFormatter().date(from: "2025-06-30T23:00:00Z")!
        let after = ISO8601DateFormatter().date(from: "2025-07-01T00:00:01Z")!
        #expect(list.activeIDs(at: before) == ["CVE-2024-0001", "DSA-3"])
        #expect(list.activeIDs(at: after) == ["DSA-3"])
        let kept = Self.report().filtered(FindingFilter(ignoredIDs: list.activeIDs(at: before))).findings.map(
            \.advisoryID)
        #expect(kept == ["DSA-2"])
        #expect(throws: ScanError.self) { try IgnoreList(contents: "CVE-1 exp:2025-02-30") }
        #expect(throws: ScanError.self) { try IgnoreList(contents: "CVE-1 until-tuesday") }
    }

    @Test(
        "OpenVEX not_affected and fixed statements clear findings by purl or for the whole image; others do not"
    )
    func openVEX() throws {
        let document = try JSONDecoder().decode(
            VEXDocument.self,
            from: Data(
                #"""
                {"@context":"https://openvex.dev/ns/v0.2.0","@id":"https://example.com/vex/1","author":"team","timestamp":"2025-01-01T00:00:00Z","version":1,
                 "statements":[
                  {"vulnerability":{"name":"CVE-2024-0001"},"products":[{"@id":"pkg:deb/debian/openssl@1.0-1?arch=amd64&distro=debian-12"}],"status":"not_affected","justification":"vulnerable_code_not_in_execute_path"},
                  {"vulnerability":{"name":"CVE-2024-0002"},"products":[{"@id":"pkg:deb/debian/curl@1.0-1"}],"status":"under_investigation"},
                  {"vulnerability":"DSA-3","products":["\#(Self.digest)"],"status":"fixed"}
                 ]}
                """#.utf8))
        let kept = Self.report().filtered(FindingFilter(vex: [document])).findings.map(\.advisoryID)
        #expect(kept == ["DSA-2"])
        let otherImage = ScanReport(
            reference: "v2", digest: DigestHasher.digest(of: Array("other".utf8)), os: nil, packages: [],
            findings: Self.report().findings)
        #expect(
            otherImage.filtered(FindingFilter(vex: [document])).findings.map(\.advisoryID) == [
                "DSA-2", "DSA-3",
            ])
    }
}
