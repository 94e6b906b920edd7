import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

private let hasDpkg = FileManager.default.fileExists(atPath: "/var/lib/dpkg/status")

@Suite("wharf scan", .enabled(if: hasDpkg))
struct ScanCommandTests {
    /// An OCI layout whose single gzip layer holds this machine's dpkg database, its
    /// packages' copyright files and os-release: a real Debian package set.
    static func debianImage(at layout: String, work: String) async throws {
        let root = work + "/rootfs"
        try FileManager.default.createDirectory(
            atPath: root + "/var/lib/dpkg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try Data(contentsOf: URL(fileURLWithPath: "/var/lib/dpkg/status")).write(
            to: URL(fileURLWithPath: root + "/var/lib/dpkg/status"))
        try Data(contentsOf: URL(fileURLWithPath: "/etc/os-release")).write(
            to: URL(fileURLWithPath: root + "/etc/os-release"))
        _ = try await ProcessRunner.run(
            "/bin/sh",
            [
                "-c",
                """
                for file in /usr/share/doc/*/copyright; do
                    [ -f "$file" ] || continue
                    mkdir -p "\(root)${file%/copyright}" && cp "$file" "\(root)$file"
                done
                cd '\(root)' && tar -cf ../layer.tar . && gzip -kf ../layer.tar
                """,
            ])
        let uncompressed = try Data(contentsOf: URL(fileURLWithPath: work + "/layer.tar"))
        let compressed = try Data(contentsOf: URL(fileURLWithPath: work + "/layer.tar.gz"))
        let store = try await OCILayoutStore(root: layout)
        let layer = Descriptor(mediaType: .ociLayerGzip, bytes: Array(compressed))
        let diffID = DigestHasher.digest(of: Array(uncompressed))
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(diffID)"]}}"#
                .utf8)
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        let manifest = try ManifestDocument(ImageManifest(config: configDescriptor, layers: [layer]))
        try await store.push(layer, content: ByteStream(ByteBuffer(bytes: compressed)))
        try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        try await store.tag(manifest.descriptor, as: "v1")
    }

    /// CycloneDX, SPDX and SARIF outputs pass their projects' own validators and readers,
    /// and carry the same packages and findings as the JSON report.
    static func checkDocuments(layout: String, database: String, directory: String, home: String) async throws
    {
        guard PythonModule.cyclonedx.shouldRun, PythonModule.spdxTools.shouldRun,
            PythonModule.sarifTools.shouldRun, PythonModule.cvss.shouldRun
        else {
            return
        }
        for format in ["cyclonedx", "spdx", "sarif"] {
            let result = try await WharfBinary.run(
                [
                    "scan", "oci:\(layout):v1", "--db", database, "--format", format, "--output",
                    "\(directory)/report.\(format).json",
                ],
                home: home)
            try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        }
        let sbom = try await WharfBinary.run(
            ["sbom", "oci:\(layout):v1", "--format", "spdx", "--output", "\(directory)/sbom.spdx.json"],
            home: home)
        try #require(sbom.status == 0)
        let script = """
            import json, sys
            from cyclonedx.validation.json import JsonStrictValidator
            from cyclonedx.schema import SchemaVersion
            bom = open("report.cyclonedx.json").read()
            error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom)
            if error: sys.exit("cyclonedx: %s" % error)
            data = json.loads(bom)
            print(len(data["components"]), sorted(v["id"] for v in data.get("vulnerabilities", [])))
            from cvss import CVSS4
            [rating] = [v for v in data["vulnerabilities"] if v["id"] == "DEBIAN-CVE-2099-0003"][0]["ratings"]
            if rating.get("method") != "CVSSv4" or rating.get("score") != CVSS4(rating["vector"]).base_score:
                sys.exit("cvss v4 rating: %s" % rating)
            licensed = [c for c in data["components"] if c.get("licenses")]
            if len(licensed) * 2 < len(data["components"]): sys.exit("few licenses: %d" % len(licensed))
            from spdx_tools.spdx.parser.parse_anything import parse_file
            from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document
            for name in ["report.spdx.json", "sbom.spdx.json"]:
                document = parse_file(name)
                messages = validate_full_spdx_document(document)
                if messages: sys.exit("spdx %s: %s" % (name, messages[:3]))
                print(len(document.packages) - 1)
                declared = [p for p in document.packages[1:] if str(p.license_declared) != "NOASSERTION"]
                if len(declared) * 2 < len(document.packages): sys.exit("few licenses: %d" % len(declared))
            from sarif import loader
            log = loader.load_sarif_file("report.sarif.json")
            print(sorted(r["ruleId"] for r in log.get_results()))
            """
        try script.write(toFile: directory + "/check.py", atomically: true, encoding: .utf8)
        let output = try await ProcessRunner.run("/usr/bin/env", ["python3", "check.py"], in: directory)
        let lines = output.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(output)")
        let installed = try await ProcessRunner.run(
            "/bin/sh", ["-c", "dpkg-query -W -f='${db:Status-Abbrev}\\n' | grep -c '^ii'"]
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lines[0] == "\(installed) ['DEBIAN-CVE-2099-0003', 'DSA-9001-1']")
        #expect(lines[1] == installed)
        #expect(lines[2] == installed)
        #expect(lines[3] == "['DEBIAN-CVE-2099-0003', 'DSA-9001-1']")
    }

    /// A CVSS v4.0 vector that scores 1.0 (LOW), per the Python `cvss` library.
    static let lowCVSSv4 = "CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"

    static func query(_ format: String, _ package: String) async throws -> String {
        try await ProcessRunner.run("/usr/bin/dpkg-query", ["-W", "-f=\(format)", package])
    }

    @Test("findings match the machine's real package versions; filters and the exit-code gate work")
    func scanGate() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await Self.debianImage(at: layout, work: directory.path)
        let release = try await ProcessRunner.run(
            "/bin/sh", ["-c", ". /etc/os-release; printf %s $VERSION_ID"])
        let bashSource = try await Self.query("${source:Package}", "bash")
        let bashVersion = try await Self.query("${source:Version}", "bash")
        let coreutils = try await Self.query("${source:Package}", "coreutils")
        let database = directory.appending("osv")
        try FileManager.default.createDirectory(
            atPath: database + "/debian", withIntermediateDirectories: true)
        let advisories = [
            // Fixed after the installed version: affected, HIGH by its CVSS vector.
            #"{"id":"DSA-9001-1","aliases":["CVE-2099-0001"],"summary":"bash update","affected":[{"package":{"ecosystem":"Debian:\#(release)","name":"\#(bashSource)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(bashVersion)+wharf1"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"}]}"#,
            // Fixed long ago: not affected.
            #"{"id":"DSA-9002-1","affected":[{"package":{"ecosystem":"Debian:\#(release)","name":"\#(bashSource)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.1-1"}]}]}]}"#,
            // No fix yet: affected, LOW by its CVSS v4 vector (the urgency would say medium).
            #"{"id":"DEBIAN-CVE-2099-0003","affected":[{"package":{"ecosystem":"Debian:\#(release)","name":"\#(coreutils)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}],"ecosystem_specific":{"urgency":"medium"}}],"severity":[{"type":"CVSS_V4","score":"\#(Self.lowCVSSv4)"}]}"#,
            // Another release of Debian: never matches this image.
            #"{"id":"DSA-9004-1","affected":[{"package":{"ecosystem":"Debian:7","name":"\#(bashSource)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#,
        ]
        for (index, advisory) in advisories.enumerated() {
            try advisory.write(toFile: "\(database)/debian/\(index).json", atomically: true, encoding: .utf8)
        }
        let home = directory.appending("home")
        let json = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", database, "--format", "json"], home: home)
        try #require(json.status == 0, "\(String(decoding: json.standardError, as: UTF8.self))")
        let report = try JSONDecoder().decode(ReportProbe.self, from: json.standardOutput)
        #expect(report.findings.map(\.advisoryID) == ["DSA-9001-1", "DEBIAN-CVE-2099-0003"])
        #expect(report.findings.first?.severity == "HIGH")
        #expect(report.findings.last?.severity == "LOW", "from the CVSS v4 vector, not the urgency")
        #expect(report.findings.first?.fixedVersion == "\(bashVersion)+wharf1")
        #expect(
            report.findings.first?.package.sourceName ?? report.findings.first?.package.name == bashSource)
        let installed = try await ProcessRunner.run(
            "/bin/sh", ["-c", "dpkg-query -W -f='${db:Status-Abbrev}\\n' | grep -c '^ii'"])
        #expect(report.packages.count == Int(installed.trimmingCharacters(in: .whitespacesAndNewlines)))

        let unfixed = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", database, "--format", "json", "--ignore-unfixed"], home: home
        )
        #expect(
            try JSONDecoder().decode(ReportProbe.self, from: unfixed.standardOutput).findings.map(
                \.advisoryID) == ["DSA-9001-1"])

        let gate = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", database, "--exit-code", "3"], home: home)
        #expect(gate.status == 3)
        let table = String(decoding: gate.standardOutput, as: UTF8.self)
        #expect(table.contains("PACKAGE"))
        #expect(table.contains("DSA-9001-1"))
        let passes = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", database, "--severity", "CRITICAL", "--exit-code", "3"],
            home: home)
        #expect(passes.status == 0, "no CRITICAL findings: the gate passes")

        try await Self.checkDocuments(
            layout: layout, database: database, directory: directory.path, home: home)

        let badDatabase = directory.appending("bad")
        try FileManager.default.createDirectory(atPath: badDatabase, withIntermediateDirectories: true)
        try "{ not json".write(toFile: badDatabase + "/x.json", atomically: true, encoding: .utf8)
        let bad = try await WharfBinary.run(["scan", "oci:\(layout):v1", "--db", badDatabase], home: home)
        #expect(bad.status == 1)
        #expect(String(decoding: bad.standardError, as: UTF8.self).contains("x.json"))
    }
}

private struct ReportProbe: Decodable {
    struct Finding: Decodable {
        struct Package: Decodable {
            var name: String
            var sourceName: String?
        }
        var advisoryID: String
        var severity: String
        var fixedVersion: String?
        var package: Package
    }
    var findings: [Finding]
    var packages: [JSONIgnored]
}

private struct JSONIgnored: Decodable {}
