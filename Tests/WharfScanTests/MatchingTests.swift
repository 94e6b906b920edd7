import Foundation
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("Advisory matching")
struct MatchingTests {
    static let layer = LayerOrigin(index: 0, digest: DigestHasher.digest(of: Array("l".utf8)), diffID: nil)

    static func debian(
        _ name: String, _ version: String, source: String? = nil, sourceVersion: String? = nil
    ) -> SoftwarePackage {
        SoftwarePackage(
            ecosystem: .debian(release: "12"), name: name, version: version, sourceName: source,
            sourceVersion: sourceVersion,
            purl: PackageURL(type: "deb", namespace: "debian", name: name, version: version),
            foundIn: "var/lib/dpkg/status",
            layer: layer)
    }

    static func npm(_ name: String, _ version: String) -> SoftwarePackage {
        SoftwarePackage(
            ecosystem: .npm, name: name, version: version,
            purl: PackageURL(type: "npm", name: name, version: version),
            foundIn: "app/node_modules/\(name)/package.json", layer: layer)
    }

    static func advisory(_ json: String) throws -> OSVAdvisory {
        try JSONDecoder().decode(OSVAdvisory.self, from: Data(json.utf8))
    }

    /// The two forms a database takes: held in memory, or compiled and mapped.
    enum Form: String, CaseIterable, Sendable {
        case memory, compiled
    }

    /// `advisories` in `form`; a compiled database is built from the advisories' JSON files.
    static func database(_ form: Form, _ advisories: [OSVAdvisory]) throws -> AdvisoryDatabase {
        switch form {
        case .memory:
            return AdvisoryDatabase(advisories: advisories)
        case .compiled:
            let directory = try TemporaryDirectory()
            let encoder = JSONEncoder()
            for advisory in advisories {
                try encoder.encode(advisory).write(
                    to: URL(fileURLWithPath: directory.appending("\(advisory.id).json")))
            }
            try AdvisoryDatabase.compile(sources: [directory.path], to: directory.appending("osv.wharfdb"))
            return try AdvisoryDatabase.load(path: directory.appending("osv.wharfdb"))
        }
    }

    /// Advisories shaped like the real Debian and GitHub ones.
    static func database(_ form: Form = .memory) throws -> AdvisoryDatabase {
        try database(
            form,
            [
                try advisory(
                    #"""
                    {"id":"DSA-5500-1","aliases":["CVE-2023-0001"],"summary":"openssl security update","affected":[
                     {"package":{"ecosystem":"Debian:12","name":"openssl"},
                      "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.11-1~deb12u1"}]}]}],
                     "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}
                    """#),
                try advisory(
                    #"""
                    {"id":"DEBIAN-CVE-2023-0002","affected":[
                     {"package":{"ecosystem":"Debian:12","name":"glibc"},
                      "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}],
                      "ecosystem_specific":{"urgency":"low"}}]}
                    """#),
                try advisory(
                    #"""
                    {"id":"GHSA-aaaa-bbbb-cccc","aliases":["CVE-2021-23337"],"summary":"Command injection in lodash",
                     "database_specific":{"severity":"HIGH"},"affected":[
                     {"package":{"ecosystem":"npm","name":"lodash"},
                      "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]},
                                {"type":"SEMVER","events":[{"introduced":"5.0.0-alpha"},{"last_affected":"5.0.0-beta.2"}]}]}]}
                    """#),
                try advisory(
                    #"""
                    {"id":"GHSA-limit","affected":[{"package":{"ecosystem":"npm","name":"limited"},
                      "ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"limit":"2.0.0"}]}],
                      "versions":["0.9.9"]}]}
                    """#),
                try advisory(
                    #"""
                    {"id":"GHSA-withdrawn","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"lodash"},
                      "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}
                    """#),
            ])
    }

    @Test(
        "OS packages match by source package and source version; binNMUs and backports order as dpkg does",
        arguments: Form.allCases)
    func debianMatching(form: Form) throws {
        let matcher = VulnerabilityMatcher(source: try Self.database(form))
        let findings = try matcher.findings(for: [
            Self.debian("libssl3", "3.0.9-1", source: "openssl"),
            Self.debian("openssl", "3.0.11-1~deb12u1"),  // exactly the fix
            Self.debian(
                "libssl3", "3.0.11-1~deb12u0+b1", source: "openssl", sourceVersion: "3.0.11-1~deb12u0"),
            Self.debian("libc6", "2.36-9+deb12u4", source: "glibc"),
        ])
        #expect(
            findings.map { "\($0.package.name) \($0.advisoryID)" } == [
                "libssl3 DSA-5500-1", "libssl3 DSA-5500-1", "libc6 DEBIAN-CVE-2023-0002",
            ])
        #expect(findings[0].severity == .critical)
        #expect(findings[0].score == 9.8)
        #expect(findings[0].fixedVersion == "3.0.11-1~deb12u1")
        #expect(findings[0].aliases == ["CVE-2023-0001"])
        #expect(findings[2].severity == .low, "from the ecosystem's urgency")
        #expect(findings[2].fixedVersion == nil)
    }

    @Test(
        "SEMVER ranges: introduced, fixed, last_affected, limit, versions lists and withdrawn advisories",
        arguments: Form.allCases)
    func semverRanges(form: Form) throws {
        let matcher = VulnerabilityMatcher(source: try Self.database(form))
        func ids(_ name: String, _ version: String) -> [String] {
            (try? matcher.findings(for: [Self.npm(name, version)]).map(\.advisoryID)) ?? ["error"]
        }
        #expect(ids("lodash", "4.17.20") == ["GHSA-aaaa-bbbb-cccc"])
        #expect(ids("lodash", "4.17.21").isEmpty)
        #expect(ids("lodash", "5.0.0-alpha.1") == ["GHSA-aaaa-bbbb-cccc"])
        #expect(ids("lodash", "5.0.0-beta.2") == ["GHSA-aaaa-bbbb-cccc"], "last_affected is affected")
        #expect(ids("lodash", "5.0.0-beta.3").isEmpty)
        #expect(ids("limited", "1.5.0") == ["GHSA-limit"])
        #expect(ids("limited", "2.0.0").isEmpty, "at the limit")
        #expect(ids("limited", "0.9.9") == ["GHSA-limit"], "listed in versions")
        #expect(ids("limited", "0.9.8").isEmpty)
        let finding = try #require(try matcher.findings(for: [Self.npm("lodash", "4.0.0")]).first)
        #expect(finding.severity == .high)
        #expect(finding.fixedVersion == "4.17.21")
    }

    @Test("OSV zip dumps load; a bad entry fails naming it; an entry inflating past the cap is refused")
    func zipDatabases() async throws {
        let directory = try TemporaryDirectory()
        let script = """
            import zipfile
            with zipfile.ZipFile("good.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("GHSA-1.json", '{"id":"GHSA-1","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}')
                z.writestr("README.txt", "not an advisory")
            with zipfile.ZipFile("bad.zip", "w") as z:
                z.writestr("GHSA-2.json", "{ broken")
            with zipfile.ZipFile("bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("GHSA-3.json", "[" + " " * (20 << 20) + "]")
            """
        try script.write(toFile: directory.appending("make.py"), atomically: true, encoding: .utf8)
        _ = try await shell("python3 make.py", in: directory.path)
        let database = try AdvisoryDatabase.load(path: directory.appending("good.zip"))
        #expect(database.advisoryCount == 1)
        #expect(try database.advisories(ecosystem: "npm", name: "a").map(\.0.id) == ["GHSA-1"])
        #expect(throws: ScanError.self) { try AdvisoryDatabase.load(path: directory.appending("bad.zip")) }
        do {
            _ = try AdvisoryDatabase.load(path: directory.appending("bad.zip"))
        } catch {
            #expect("\(error)".contains("GHSA-2.json"))
        }
        #expect {
            try AdvisoryDatabase.load(path: directory.appending("bomb.zip"))
        } throws: { error in
            if case ScanError.limitExceeded = error { return true }
            return false
        }
        // A directory's files are held to the same per-advisory cap, for loading and compiling.
        let huge = directory.appending("huge")
        try FileManager.default.createDirectory(atPath: huge, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: huge + "/GHSA-4.json", contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: huge + "/GHSA-4.json"))
        try handle.truncate(atOffset: UInt64(AdvisoryDatabase.advisorySizeLimit + 1))
        try handle.close()
        for attempt in [
            { _ = try AdvisoryDatabase.load(path: huge) },
            { try AdvisoryDatabase.compile(sources: [huge], to: directory.appending("huge.db")) },
        ] as [() throws -> Void] {
            #expect {
                try attempt()
            } throws: { error in
                if case ScanError.limitExceeded = error { return true }
                return false
            }
        }
    }

    @Test("SemVer precedence follows the specification's example chain")
    func semverPrecedence() throws {
        let chain = [
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
            "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "v2.1.2",
        ]
        let versions = try chain.map { try #require(SemanticVersion($0)) }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
        }
        #expect(SemanticVersion("1.0.0+build.1") == SemanticVersion("1.0.0"))
        for invalid in ["1.0", "01.0.0", "1.0.0-", "1.0.0-01", "1.0.0+", "a.b.c", ""] {
            #expect(SemanticVersion(invalid) == nil, "\(invalid)")
        }
    }

    @Test(
        "CVSS v3 base scores agree with the Python `cvss` library on all 2,592 base vectors",
        .tags(.interop), .enabled(if: PythonModule.cvss.shouldRun))
    func cvssAgreesWithOracle() async throws {
        var vectors: [String] = []
        for av in ["N", "A", "L", "P"] {
            for ac in ["L", "H"] {
                for pr in ["N", "L", "H"] {
                    for ui in ["N", "R"] {
                        for s in ["U", "C"] {
                            for c in ["H", "L", "N"] {
                                for i in ["H", "L", "N"] {
                                    for a in ["H", "L", "N"] {
                                        vectors.append(
                                            "CVSS:3.1/AV:\(av)/AC:\(ac)/PR:\(pr)/UI:\(ui)/S:\(s)/C:\(c)/I:\(i)/A:\(a)"
                                        )
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let directory = try TemporaryDirectory()
        try vectors.joined(separator: "\n").write(
            toFile: directory.appending("vectors"), atomically: true, encoding: .utf8)
        let output = try await shell(
            "python3 -c 'import sys; from cvss import CVSS3\nfor line in open(\"vectors\"): print(CVSS3(line.strip()).scores()[0])'",
            in: directory.path)
        let expected = String(decoding: output, as: UTF8.self).split(separator: "\n").map { Double($0)! }
        try #require(expected.count == vectors.count)
        let mismatches = zip(vectors, expected).filter { CVSSv3.baseScore($0.0) != $0.1 }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        #expect(CVSSv3.baseScore("CVSS:2.0/AV:N") == nil)
        #expect(CVSSv3.baseScore("CVSS:3.1/AV:N/AC:L") == nil)
    }
}
