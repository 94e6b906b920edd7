import Foundation
import Testing
import WharfTestSupport

@Suite(
    "A real Debian image built by debootstrap and umoci",
    .tags(.interop), .enabled(if: ExternalTool.debootstrap.shouldRun && ExternalTool.umoci.shouldRun))
struct DebootstrapImageTests {
    @Test(
        "sbom lists exactly the packages dpkg knows in a bookworm minbase image; scan finds the planted advisory"
    )
    func bookwormMinbase() async throws {
        let directory = try TemporaryDirectory()
        let work = directory.path
        // A real root filesystem from the Debian archive, packed by an independent tool.
        _ = try await shell(
            "debootstrap --variant=minbase bookworm rootfs http://deb.debian.org/debian > debootstrap.log 2>&1",
            in: work)
        _ = try await shell(
            """
            umoci init --layout layout && umoci new --image layout:bookworm \
            && umoci unpack --image layout:bookworm bundle > /dev/null && cp -a rootfs/. bundle/rootfs/ \
            && umoci repack --image layout:bookworm bundle
            """, in: work)
        let query = try await shell(
            "dpkg-query --admindir=rootfs/var/lib/dpkg -W -f='${db:Status-Abbrev}|${Package}|${Version}|${source:Package}|${source:Version}\\n'",
            in: work)
        let installed = String(decoding: query, as: UTF8.self).split(separator: "\n")
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
            .filter { $0[0].hasPrefix("ii") }
        try #require(installed.count > 50, "a minbase system has dozens of packages")

        let home = directory.appending("home")
        let sbom = try await WharfBinary.run(
            ["sbom", "oci:\(work)/layout:bookworm", "--format", "cyclonedx"], home: home)
        try #require(sbom.status == 0, "\(String(decoding: sbom.standardError, as: UTF8.self))")
        struct BOM: Decodable {
            struct Component: Decodable {
                var name: String
                var version: String
                var purl: String
            }
            var components: [Component]
        }
        let components = try JSONDecoder().decode(BOM.self, from: sbom.standardOutput).components
        #expect(
            Set(components.map { "\($0.name) \($0.version)" }) == Set(installed.map { "\($0[1]) \($0[2])" }))
        #expect(
            components.allSatisfy {
                $0.purl.hasPrefix("pkg:deb/debian/") && $0.purl.contains("distro=debian-12")
            })

        // One advisory fixed after the installed glibc, one fixed long before: exactly one finding.
        let glibc = try #require(installed.first { $0[1] == "libc6" })
        try FileManager.default.createDirectory(atPath: work + "/osv", withIntermediateDirectories: true)
        try
            #"{"id":"DSA-9999-1","affected":[{"package":{"ecosystem":"Debian:12","name":"\#(glibc[3])"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(glibc[4])+wharf1"}]}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#
            .write(toFile: work + "/osv/a.json", atomically: true, encoding: .utf8)
        try
            #"{"id":"DSA-1-1","affected":[{"package":{"ecosystem":"Debian:12","name":"apt"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.1"}]}]}]}"#
            .write(toFile: work + "/osv/b.json", atomically: true, encoding: .utf8)
        let scan = try await WharfBinary.run(
            [
                "scan", "oci:\(work)/layout:bookworm", "--db", work + "/osv", "--format", "json",
                "--exit-code", "4",
            ],
            home: home)
        #expect(scan.status == 4, "a CRITICAL finding trips the gate")
        struct Report: Decodable {
            struct Finding: Decodable {
                struct Package: Decodable { var name: String }
                var advisoryID: String
                var severity: String
                var package: Package
            }
            var findings: [Finding]
        }
        let findings = try JSONDecoder().decode(Report.self, from: scan.standardOutput).findings
        let glibcBinaries = Set(installed.filter { $0[3] == glibc[3] }.map { $0[1] })
        #expect(Set(findings.map(\.package.name)) == glibcBinaries, "every binary package built from glibc")
        #expect(findings.allSatisfy { $0.advisoryID == "DSA-9999-1" && $0.severity == "CRITICAL" })
    }
}
