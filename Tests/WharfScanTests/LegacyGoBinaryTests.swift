import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

@testable import WharfScan

/// Go binaries from before Go 1.18, whose build information points into the binary. The
/// fixtures are real: Debian 11 (bullseye) built its Go programs with Go 1.15, and its
/// Go 1.15 toolchain builds a module here. Downloaded from deb.debian.org, pinned by digest.
@Suite(
    "Go binaries older than Go 1.18",
    .tags(.interop),
    .enabled(if: ExternalTool.go.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun))
struct LegacyGoBinaryTests {
    /// A bullseye package: pool path and SHA-256 of the .deb.
    struct DebianPackage {
        var pool: String
        var sha256: String

        /// Downloads the package into `directory` and unpacks it into `directory/root`.
        func unpack(in directory: String) async throws {
            let file = (pool as NSString).lastPathComponent
            _ = try await shell(
                """
                curl -sSf --retry 3 -o '\(file)' 'http://deb.debian.org/debian/\(pool)' && \
                echo '\(sha256)  \(file)' | sha256sum -c --quiet && dpkg-deb -x '\(file)' root
                """, in: directory)
        }
    }

    /// A small program Debian 11 built with Go 1.15.9 (GOPATH mode: no module list).
    static let cliSpinner = DebianPackage(
        pool:
            "pool/main/g/golang-github-odeke-em-cli-spinner/cli-spinner_0.0~git20150423.610063b-4+b16_amd64.deb",
        sha256: "c634a8882bf79be5d140fbd4968c5ca9bc2a7ecb54693e89da367085a9cd36be")
    /// Debian 11's Go 1.15 toolchain and its standard library sources.
    static let go115 = [
        DebianPackage(
            pool: "pool/main/g/golang-1.15/golang-1.15-go_1.15.15-1~deb11u4_amd64.deb",
            sha256: "33f6680406698b60370322aa5710be199006b3d66fbb0974b44da012de3aa82a"),
        DebianPackage(
            pool: "pool/main/g/golang-1.15/golang-1.15-src_1.15.15-1~deb11u4_amd64.deb",
            sha256: "e580f570f706d801191f9a17e55156736fc5979a6a878bab9304ca007ae29941"),
    ]

    /// Builds, with Go 1.15 in module mode, the module of ``GoBinaryTests/writeModule(in:goDirective:)``.
    static func buildModule(in directory: String, goRoot: String) async throws -> String {
        try GoBinaryTests.writeModule(in: directory + "/src", goDirective: "1.15")
        _ = try await shell(
            """
            cd src/app && GOROOT='\(goRoot)' GOPATH='\(directory)/gopath' GOCACHE='\(directory)/cache' \
            GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 '\(goRoot)/bin/go' build -o app .
            """, in: directory)
        return directory + "/src/app/app"
    }

    /// What `go version -m` (Go 1.19, which reads the old format) says, one line per item.
    static func oracle(_ binary: String) async throws -> [String] {
        let output = try await ExternalTool.go.run(["version", "-m", binary])
        var lines = output.split(separator: "\n").map(String.init)
        var result = [String(lines.removeFirst().split(separator: " ").last ?? "")]
        for line in lines {
            // "\tdep\tpath\tversion\tsum"; a directory replacement has an empty version.
            let fields = line.drop { $0 == "\t" }.split(separator: "\t", omittingEmptySubsequences: false)
                .map(String.init)
            switch fields.first {
            case "mod", "dep": result.append("\(fields[0]) \(fields[1]) \(fields[2])")
            case "=>": result[result.count - 1] = "dep \(fields[1]) \(fields[2])"
            default: continue
            }
        }
        return result
    }

    static func describe(_ info: GoBuildInfo?) -> [String] {
        guard let info else { return [] }
        return [info.goVersion] + (info.main.map { ["mod \($0.path) \($0.version)"] } ?? [])
            + info.dependencies.map { "dep \($0.path) \($0.version)" }
    }

    @Test("a two-layer image with Debian 11's Go 1.15 programs reads as `go version -m` reads them")
    func debianBullseyeBinaries() async throws {
        let directory = try TemporaryDirectory()
        try await Self.cliSpinner.unpack(in: directory.path)
        for package in Self.go115 { try await package.unpack(in: directory.path) }
        let app = try await Self.buildModule(
            in: directory.path, goRoot: directory.appending("root/usr/lib/go-1.15"))
        let spinner = directory.appending("root/usr/bin/cli-spinner")

        // Layer 0 holds the Debian program, layer 1 the module: each layer read again.
        let layout = directory.appending("layout")
        let bundle = directory.appending("bundle")
        try await ExternalTool.umoci.run(["init", "--layout", layout])
        try await ExternalTool.umoci.run(["new", "--image", "\(layout):old"])
        try await ExternalTool.umoci.run(["unpack", "--rootless", "--image", "\(layout):old", bundle])
        try FileManager.default.createDirectory(
            atPath: bundle + "/rootfs/usr/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: spinner, toPath: bundle + "/rootfs/usr/bin/cli-spinner")
        try await ExternalTool.umoci.run(["repack", "--image", "\(layout):old", bundle])
        // umoci diffs a bundle against the image it was unpacked from: unpack again.
        let second = directory.appending("bundle-2")
        try await ExternalTool.umoci.run(["unpack", "--rootless", "--image", "\(layout):old", second])
        try FileManager.default.copyItem(atPath: app, toPath: second + "/rootfs/usr/bin/app")
        try await ExternalTool.umoci.run(["repack", "--image", "\(layout):old", second])

        let store = try await OCILayoutStore(root: layout, create: false)
        let report = try await ImageScanner(advisories: nil).scan("old", in: store)
        let spinnerExpected = try await Self.oracle(spinner)
        let appExpected = try await Self.oracle(app)
        #expect(spinnerExpected == ["go1.15.9"], "GOPATH mode: the toolchain only")
        #expect(appExpected.first == "go1.15.15")
        #expect(appExpected.count == 4, "\(appExpected)")

        func packages(in path: String) -> [String] {
            report.packages.filter { $0.foundIn == path }.map { "\($0.name) \($0.version)" }
        }
        #expect(packages(in: "usr/bin/cli-spinner") == ["stdlib v1.15.9"])
        #expect(
            packages(in: "usr/bin/app")
                == ["stdlib v1.15.15"] + appExpected.dropFirst(2).map { String($0.dropFirst(4)) })
        #expect(report.packages.first { $0.foundIn == "usr/bin/app" }?.layer.index == 1)
    }
}

@Suite("Pointer-style Go build information, damaged")
struct LegacyGoBuildInfoDamageTests {
    @Test(
        "a real Go 1.15 binary damaged at random in its headers reads as something or nothing, never a crash",
        .tags(.interop), .enabled(if: ExternalTool.curl.shouldRun))
    func damagedHeaders() async throws {
        let directory = try TemporaryDirectory()
        try await LegacyGoBinaryTests.cliSpinner.unpack(in: directory.path)
        let good = Array(
            try Data(contentsOf: URL(fileURLWithPath: directory.appending("root/usr/bin/cli-spinner"))))
        func reader(_ bytes: [UInt8]) -> LegacyGoBuildInfoReader {
            LegacyGoBuildInfoReader { offset, count in
                guard offset < UInt64(bytes.count) else { return [] }
                return Array(bytes[Int(offset)...].prefix(count))
            }
        }
        #expect(try reader(good).buildInfo()?.goVersion == "go1.15.9")
        let magic = try #require(
            good.indices.first { good[$0...].starts(with: [0xFF] + Array(" Go buildinf:".utf8)) })
        // The ELF header and program headers, and the build-info header and its pointers.
        let targets = Array(0..<512) + Array(magic..<(magic + 32))
        var random = SeededGenerator(seed: 15)
        var unreadable = 0
        for _ in 0..<2_000 {
            var damaged = good
            for _ in 0..<3 {
                damaged[targets[Int.random(in: 0..<targets.count, using: &random)]] = UInt8.random(
                    in: 0...255, using: &random)
            }
            if try reader(damaged).buildInfo() == nil { unreadable += 1 }
        }
        #expect(unreadable > 0, "some damage makes the information unreadable")
    }
}
