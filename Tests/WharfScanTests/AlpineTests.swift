import Foundation
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("Alpine packages and versions")
struct AlpineTests {
    @Test("apk's suffix order, revisions, letters and the leading-zero rule")
    func apkRules() throws {
        let chain = [
            "1.0_alpha", "1.0_alpha2", "1.0_beta", "1.0_pre1", "1.0_rc1", "1.0", "1.0-r1", "1.0-r10",
            "1.0_cvs",
            "1.0_svn", "1.0_git", "1.0_hg", "1.0_p1", "1.0a", "1.0.1", "1.01", "1.1", "1.2_rc1-r2", "1.2",
            "1.10",
        ]
        let versions = try chain.map { try #require(AlpineVersion($0), "\($0)") }
        for (lower, higher) in zip(versions, versions.dropFirst()) {
            #expect(lower < higher, "\(lower) < \(higher)")
        }
        #expect(try #require(AlpineVersion("1.001")) < #require(AlpineVersion("1.01")))
        #expect(try #require(AlpineVersion("1")) < #require(AlpineVersion("1.0")))
        #expect(try #require(AlpineVersion("2.10")) > #require(AlpineVersion("2.9")))
        #expect(AlpineVersion("1.2.3-r4") == AlpineVersion("1.2.3-r4"))
        #expect(
            try #require(AlpineVersion("1.0")) < #require(AlpineVersion("1.00")), "string order after a zero")
        #expect(try #require(AlpineVersion("1.2~ab12")) > #require(AlpineVersion("1.2")))
        for invalid in [
            "1.2-foo", "1.2_bogus", "1.0-r1_alpha", "1.0a_b", "", "1..2", "1.2a3", "1.2_preview", "1.2-r",
            "a1", "1.2~",
        ] {
            #expect(AlpineVersion(invalid) == nil, "\(invalid)")
        }
    }

    @Test(
        "order agrees with univers' Gentoo order (apk's ancestor) on 2,000 generated pairs of the shared grammar",
        .tags(.interop), .enabled(if: PythonModule.univers.shouldRun))
    func agreesWithUnivers() async throws {
        var generator = SeededGenerator(seed: 0xA1_91E)
        let components = ["0", "1", "2", "3", "9", "10", "12", "100"]
        let suffixes = ["", "", "", "_alpha", "_beta2", "_pre", "_rc1", "_rc3", "_p", "_p2"]
        func version() -> String {
            var text = components.dropFirst().randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                text += "." + components.randomElement(using: &generator)!
            }
            if Int.random(in: 0..<5, using: &generator) == 0 {
                text += ["a", "b", "z"].randomElement(using: &generator)!
            }
            text += suffixes.randomElement(using: &generator)!
            if Bool.random(using: &generator) { text += "-r\(Int.random(in: 0...12, using: &generator))" }
            return text
        }
        let pairs = (0..<2000).map { _ in (version(), version()) }
        let directory = try TemporaryDirectory()
        try pairs.map { "\($0.0) \($0.1)" }.joined(separator: "\n").write(
            toFile: directory.appending("pairs"), atomically: true, encoding: .utf8)
        let script = """
            from univers.versions import AlpineLinuxVersion as V
            for line in open("pairs"):
                a, b = line.split()
                x, y = V(a), V(b)
                print(-1 if x < y else (0 if x == y else 1))
            """
        try script.write(toFile: directory.appending("oracle.py"), atomically: true, encoding: .utf8)
        let answers = String(
            decoding: try await shell("python3 oracle.py", in: directory.path), as: UTF8.self
        )
        .split(separator: "\n")
        try #require(answers.count == pairs.count)
        var disagreements: [String] = []
        for ((a, b), answer) in zip(pairs, answers) {
            let (left, right) = (
                try #require(AlpineVersion(a), "\(a)"), try #require(AlpineVersion(b), "\(b)")
            )
            let ours = left < right ? "-1" : (left == right ? "0" : "1")
            if ours != answer { disagreements.append("\(a) vs \(b): univers \(answer), wharf \(ours)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
    }

    @Test("the installed database yields packages with origins and purls, matched against Alpine advisories")
    func installedDatabase() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        try FileManager.default.createDirectory(
            atPath: root + "/lib/apk/db", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        // The record layout apk writes (C: checksum, F:/R: file lists, Z: file checksums).
        try """
        C:Q1qKcZ+j23xssAXmgQhkOO8dHnbWw=
        P:musl
        V:1.2.4-r2
        A:x86_64
        S:383152
        I:622592
        T:the musl c library (libc) implementation
        U:https://musl.libc.org/
        L:MIT
        o:musl
        m:Timo Teräs <timo.teras@iki.fi>
        t:1698233426
        c:e5b1b8a0ba2bdc6c0b8b2e2d3ba0e70dc5f9f8c1
        F:lib
        R:ld-musl-x86_64.so.1
        a:0:0:755
        Z:Q1Ma5bKFu4Ar+f4T3pa9jnuRgYrkg=

        C:Q1x2Yf2sW7o2c7rXz3HnP1zUnXx8A=
        P:libcrypto3
        V:3.1.4-r1
        A:x86_64
        L:Apache-2.0
        o:openssl
        F:usr/lib
        R:libcrypto.so.3

        """.write(toFile: root + "/lib/apk/db/installed", atomically: true, encoding: .utf8)
        try "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n".write(
            toFile: root + "/etc/os-release", atomically: true, encoding: .utf8)
        let archive = try await shell("tar -cf - .", in: root)
        let cataloger = ApkCataloger()
        var filesystem = LayeredFilesystem()
        let origin = LayerOrigin(index: 0, digest: DigestHasher.digest(of: Array(archive)), diffID: nil)
        try await filesystem.apply(
            layer: origin, archive: TarReader(stream(archive)),
            capture: {
                cataloger.wants($0) || OSRelease.paths.contains($0) ? 1 << 20 : nil
            })
        let os = OSRelease.detect(in: filesystem)
        let packages = cataloger.packages(in: CatalogContext(filesystem: filesystem, os: os))
        #expect(packages.map(\.name) == ["musl", "libcrypto3"])
        #expect(packages[1].sourceName == "openssl")
        #expect(packages.map(\.licenses) == [["MIT"], ["Apache-2.0"]], "from the L: field")
        #expect(packages[1].ecosystem.osvName == "Alpine:v3.19")
        #expect(
            packages[1].purl.description
                == "pkg:apk/alpine/libcrypto3@3.1.4-r1?arch=x86_64&distro=alpine-3.19.1&upstream=openssl")

        let advisory = try JSONDecoder().decode(
            OSVAdvisory.self,
            from: Data(
                #"{"id":"ALPINE-CVE-2023-5678","affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"openssl"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.1.4-r3"}]}]}]}"#
                    .utf8))
        let findings = try VulnerabilityMatcher(source: AdvisoryDatabase(advisories: [advisory])).findings(
            for: packages)
        #expect(
            findings.map { "\($0.package.name) \($0.advisoryID) \($0.fixedVersion ?? "")" } == [
                "libcrypto3 ALPINE-CVE-2023-5678 3.1.4-r3"
            ])
    }
}
