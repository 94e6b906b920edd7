import Foundation
import NIOCore
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("Go binaries", .tags(.interop), .enabled(if: ExternalTool.go.shouldRun))
struct GoBinaryTests {
    /// Reads `files` (absolute paths on this machine) as one layer, looking for Go binaries.
    static func filesystem(_ files: [String]) async throws -> LayeredFilesystem {
        let directory = try TemporaryDirectory()
        let list = files.map { "'\(String($0.dropFirst()))'" }.joined(separator: " ")
        let archive = try await shell("tar -C / -cf - \(list)", in: directory.path)
        var filesystem = LayeredFilesystem()
        let origin = LayerOrigin(
            index: 0, digest: DigestHasher.digest(of: Array(archive.prefix(4096))), diffID: nil)
        try await filesystem.apply(
            layer: origin, archive: TarReader(stream(archive)), capture: { _ in nil }, findGoBinaries: true)
        return filesystem
    }

    /// What `go version -m` says: toolchain, main module and dependencies (replacements applied).
    static func oracle(_ binary: String) async throws -> (go: String, main: String?, dependencies: [String]) {
        let output = try await ExternalTool.go.run(["version", "-m", binary])
        var lines = output.split(separator: "\n").map(String.init)
        let go = String(lines.removeFirst().split(separator: " ").last ?? "")
        var main: String?
        var dependencies: [String] = []
        for line in lines {
            let fields = line.split(separator: "\t").map(String.init)
            switch fields.first {
            case "mod": main = "\(fields[1]) \(fields[2])"
            case "dep": dependencies.append("\(fields[1]) \(fields[2])")
            case "=>": dependencies[dependencies.count - 1] = "\(fields[1]) \(fields[2])"
            default: continue
            }
        }
        return (go, main, dependencies)
    }

    /// Writes `app`, a module that requires `example.com/lib` at v1.2.3 (replaced by a
    /// directory) and `example.com/util` (replaced without a version), under `directory`.
    static func writeModule(in directory: String, goDirective: String) throws {
        let files: [String: String] = [
            "lib/go.mod": "module example.com/lib\n\ngo \(goDirective)\n",
            "lib/lib.go": "package lib\n\nfunc Hello() string { return \"hello\" }\n",
            "util/go.mod": "module example.com/util\n\ngo \(goDirective)\n",
            "util/util.go": "package util\n\nfunc Twice(s string) string { return s + s }\n",
            "app/go.mod": """
            module example.com/app

            go \(goDirective)

            require (
            \texample.com/lib v1.2.3
            \texample.com/util v0.4.0
            )

            replace example.com/lib v1.2.3 => ../lib
            replace example.com/util => ../util
            """,
            "app/main.go": """
            package main

            import (
            \t"fmt"
            \t"example.com/lib"
            \t"example.com/util"
            )

            func main() { fmt.Println(util.Twice(lib.Hello())) }
            """,
        ]
        for (path, content) in files {
            let full = directory + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    @Test("a module built here with required and replaced dependencies reads as `go version -m` reads it")
    func builtModule() async throws {
        let directory = try TemporaryDirectory()
        try Self.writeModule(in: directory.path, goDirective: "1.19")
        _ = try await shell(
            "cd app && GOFLAGS=-mod=mod GOPROXY=off GOCACHE=\(directory.path)/cache CGO_ENABLED=0 go build -trimpath -o app . && strip app",
            in: directory.path)
        let binary = directory.appending("app/app")
        let expected = try await Self.oracle(binary)
        let info = try #require(try await Self.filesystem([binary]).goBuildInfo[String(binary.dropFirst())])
        #expect(info.goVersion == expected.go)
        #expect(info.main.map { "\($0.path) \($0.version)" } == expected.main)
        #expect(info.dependencies.map { "\($0.path) \($0.version)" } == expected.dependencies)
        #expect(expected.dependencies.count == 2, "\(expected.dependencies)")

        let packages = GoBinaryCataloger().packages(
            in: CatalogContext(filesystem: try await Self.filesystem([binary])))
        #expect(packages.first?.name == "stdlib")
        #expect(packages.first?.version == "v" + expected.go.dropFirst(2))
        #expect(packages.allSatisfy { $0.ecosystem == .go && $0.foundIn == String(binary.dropFirst()) })
    }

    @Test("the build-info marker is found wherever a chunk boundary cuts it")
    func markerAcrossChunks() async throws {
        let archive = try await shell("tar -C / -cf - usr/bin/umoci", in: "/tmp")
        let marker = Data([0xFF] + Array(" Go buildinf:".utf8))
        let offset = try #require(archive.range(of: marker)).lowerBound
        let whole = try #require(try await Self.filesystem(["/usr/bin/umoci"]).goBuildInfo["usr/bin/umoci"])
        for cut in 1..<marker.count {
            let split = offset + cut
            let layer = ByteStream(
                ChunkSequence(chunks: [
                    ByteBuffer(bytes: archive.prefix(split)), ByteBuffer(bytes: archive.dropFirst(split)),
                ]))
            var filesystem = LayeredFilesystem()
            try await filesystem.apply(
                layer: LayerOrigin(index: 0, digest: DigestHasher.digest(of: Array(marker)), diffID: nil),
                archive: TarReader(layer), capture: { _ in nil }, findGoBinaries: true)
            #expect(filesystem.goBuildInfo["usr/bin/umoci"] == whole, "cut after \(cut) bytes of the marker")
        }
    }

    @Test(
        "Debian's Go programs on this machine report the toolchain `go version -m` reports; other files none")
    func debianBinaries() async throws {
        let binaries = ["/usr/bin/umoci", "/usr/bin/skopeo"].filter {
            FileManager.default.fileExists(atPath: $0)
        }
        try #require(!binaries.isEmpty)
        let filesystem = try await Self.filesystem(binaries + ["/usr/bin/env", "/etc/os-release"])
        for binary in binaries {
            let info = try #require(filesystem.goBuildInfo[String(binary.dropFirst())], "\(binary)")
            #expect(info.goVersion == (try await Self.oracle(binary)).go)
        }
        #expect(filesystem.goBuildInfo["usr/bin/env"] == nil, "a C program has no Go build information")
    }
}
