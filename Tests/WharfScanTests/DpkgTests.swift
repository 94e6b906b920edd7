import Foundation
import NIOCore
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

private let dpkgAvailable =
    FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg")
    && FileManager.default.fileExists(atPath: "/var/lib/dpkg/status")

@Suite("Debian packages and versions", .enabled(if: dpkgAvailable))
struct DpkgTests {
    @Test("version order agrees with `dpkg --compare-versions` on 1,500 generated pairs")
    func versionOrderMatchesDpkg() async throws {
        var generator = SeededGenerator(seed: 0xDEB)
        let pieces = [
            "0", "1", "2", "10", "09", "a", "b", "~", "~~", "+", ".", "-", "rc", "+deb12u1", "~bpo", "z", "A",
        ]
        func version() -> String {
            var text = String(Int.random(in: 0...12, using: &generator))
            for _ in 0..<Int.random(in: 0...5, using: &generator) {
                text += pieces.randomElement(using: &generator)!
            }
            if Bool.random(using: &generator) { text = "\(Int.random(in: 1...3, using: &generator)):" + text }
            return text
        }
        let pairs = (0..<1500).map { _ in (version(), version()) }
        // One shell runs dpkg for every pair: "<", "=", ">", or "!" when dpkg calls a
        // version invalid (exit status 2).
        let directory = try TemporaryDirectory()
        try pairs.map { "\($0.0) \($0.1)" }.joined(separator: "\n").appending("\n")
            .write(toFile: directory.appending("pairs"), atomically: true, encoding: .utf8)
        let script = """
            while read a b; do
              dpkg --compare-versions "$a" lt "$b" 2>/dev/null; lt=$?
              if [ $lt -ge 2 ]; then echo "!"; continue; fi
              if [ $lt -eq 0 ]; then echo "<"; continue; fi
              if dpkg --compare-versions "$a" eq "$b" 2>/dev/null; then echo "="; else echo ">"; fi
            done < pairs
            """
        let answers = String(decoding: try await shell(script, in: directory.path), as: UTF8.self).split(
            separator: "\n")
        try #require(answers.count == pairs.count)
        var disagreements: [String] = []
        var invalid = 0
        for ((a, b), answer) in zip(pairs, answers) {
            guard let left = DebianVersion(a), let right = DebianVersion(b) else {
                invalid += 1
                if answer != "!" {
                    disagreements.append("\(a) vs \(b): dpkg \(answer), wharf rejects a version")
                }
                continue
            }
            let ours = left < right ? "<" : (left == right ? "=" : ">")
            if ours != answer { disagreements.append("\(a) vs \(b): dpkg \(answer), wharf \(ours)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect(invalid < 1000, "most generated pairs are valid versions (\(invalid) were not)")
    }

    @Test("this machine's dpkg database yields exactly what dpkg-query lists as installed")
    func machineDatabase() async throws {
        let status = try Data(contentsOf: URL(fileURLWithPath: "/var/lib/dpkg/status"))
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        try FileManager.default.createDirectory(
            atPath: root + "/var/lib/dpkg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try status.write(to: URL(fileURLWithPath: root + "/var/lib/dpkg/status"))
        // /etc/os-release is a symlink on Debian; the image gets the file itself.
        try Data(contentsOf: URL(fileURLWithPath: "/etc/os-release")).write(
            to: URL(fileURLWithPath: root + "/etc/os-release"))
        let archive = try await shell("tar -cf - .", in: root)
        var filesystem = LayeredFilesystem()
        let cataloger = DpkgCataloger()
        let origin = LayerOrigin(index: 0, digest: DigestHasher.digest(of: Array(archive)), diffID: nil)
        try await filesystem.apply(
            layer: origin, archive: TarReader(stream(archive)),
            capture: { path in
                cataloger.wants(path) || OSRelease.paths.contains(path) ? 64 << 20 : nil
            })
        let packages = try cataloger.packages(
            in: CatalogContext(filesystem: filesystem, os: OSRelease.detect(in: filesystem)))

        let query = try await shell(
            #"dpkg-query -W -f='${db:Status-Abbrev}|${Package}|${Version}|${source:Package}|${source:Version}|${Architecture}\n'"#,
            in: directory.path)
        let installed = String(decoding: query, as: UTF8.self).split(separator: "\n").map {
            $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        }
        .filter { $0[0].hasPrefix("ii") }
        #expect(packages.count == installed.count)
        let ours = Dictionary(
            packages.map { ("\($0.name):\($0.architecture ?? "")", $0) }, uniquingKeysWith: { a, _ in a })
        for row in installed {
            let package = try #require(ours["\(row[1]):\(row[5])"], "missing \(row[1])")
            #expect(package.version == row[2])
            #expect((package.sourceName ?? package.name) == row[3], "source of \(row[1])")
            #expect((package.sourceVersion ?? package.version) == row[4], "source version of \(row[1])")
            #expect(package.purl.name == row[1])
            #expect(package.purl.description.hasPrefix("pkg:deb/debian/"))
            #expect(package.layer == origin)
        }
        let release = try await shell(". /etc/os-release; echo $VERSION_ID", in: directory.path)
        #expect(
            packages.allSatisfy {
                $0.ecosystem
                    == .debian(
                        release: String(decoding: release, as: UTF8.self).trimmingCharacters(
                            in: .whitespacesAndNewlines))
            })
    }

    @Test("purls encode versions and qualifiers as purl-spec says")
    func purls() {
        let purl = PackageURL(
            type: "deb", namespace: "debian", name: "libc6", version: "2.36-9+deb12u4",
            qualifiers: ["distro": "debian-12", "arch": "amd64", "upstream": "glibc@2.36-9+deb12u4"])
        #expect(
            purl.description
                == "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc%402.36-9%2Bdeb12u4"
        )
        #expect(
            PackageURL(type: "npm", namespace: "@scope", name: "pkg", version: "1.0.0").description
                == "pkg:npm/%40scope/pkg@1.0.0")
    }
}
