import Foundation
import NIOCore
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("The final filesystem of layered images")
struct LayeredFilesystemTests {
    /// Builds a tar with GNU tar from `files` (path → content; nil makes a directory).
    static func layer(_ files: [String: String?], in directory: String, name: String) async throws -> Data {
        let root = "\(directory)/\(name)"
        for (path, content) in files.sorted(by: { $0.key < $1.key }) {
            let full = "\(root)/\(path)"
            if let content {
                try FileManager.default.createDirectory(
                    atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(content.utf8).write(to: URL(fileURLWithPath: full))
            } else {
                try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
            }
        }
        return try await shell("tar --sort=name -cf - .", in: root)
    }

    static func origin(_ index: Int) -> LayerOrigin {
        LayerOrigin(index: index, digest: DigestHasher.digest(of: Array("layer \(index)".utf8)), diffID: nil)
    }

    @Test("whiteouts delete lower files and directories; opaque directories hide only lower layers")
    func whiteouts() async throws {
        let directory = try TemporaryDirectory()
        let base = try await Self.layer(
            [
                "etc/keep": "keep", "etc/gone": "gone", "opt/app/old": "old", "opt/app/sub/deep": "deep",
                "var/cache/x": "x",
            ],
            in: directory.path, name: "base")
        let top = try await Self.layer(
            [
                "etc/.wh.gone": "", "opt/app/.wh..wh..opq": "", "opt/app/new": "new", "var/.wh.cache": "",
                "etc/added": "added",
            ],
            in: directory.path, name: "top")
        var filesystem = LayeredFilesystem()
        try await filesystem.apply(
            layer: Self.origin(0), archive: TarReader(stream(base)), capture: { _ in 1024 })
        try await filesystem.apply(
            layer: Self.origin(1), archive: TarReader(stream(top)), capture: { _ in 1024 })
        let files = Set(filesystem.files.keys.filter { filesystem.files[$0]?.kind == .file })
        #expect(files == ["etc/keep", "etc/added", "opt/app/new"])
        #expect(filesystem.files["var/cache"] == nil)
        #expect(filesystem.files["opt/app"]?.kind == .directory)
        #expect(filesystem.files["etc/keep"]?.layer == Self.origin(0))
        #expect(filesystem.files["opt/app/new"]?.layer == Self.origin(1))
        #expect(filesystem.content(of: "etc/keep") == Array("keep".utf8))
        #expect(filesystem.content(of: "etc/gone") == nil)
    }

    @Test("entries climbing out of the root are refused; absolute paths are read relative to it")
    func hostilePaths() async throws {
        let directory = try TemporaryDirectory()
        // Python's tarfile writes whatever names it is given, as an attacker's tool would.
        let script = """
            import io, tarfile, sys
            with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as tar:
                for name, data in [("../../etc/passwd", b"evil"), ("/etc/hostname", b"abs"), ("a/../../b", b"x"), ("ok/./file", b"ok")]:
                    info = tarfile.TarInfo(name); info.size = len(data); tar.addfile(info, io.BytesIO(data))
                link = tarfile.TarInfo("ok/escape"); link.type = tarfile.LNKTYPE; link.linkname = "../../../etc/shadow"; tar.addfile(link)
            """
        let archive = try await shell("python3 -c '\(script)'", in: directory.path)
        var filesystem = LayeredFilesystem()
        try await filesystem.apply(
            layer: Self.origin(0), archive: TarReader(stream(archive)), capture: { _ in 1024 })
        #expect(Set(filesystem.files.keys) == ["etc/hostname", "ok/file"])
        #expect(Set(filesystem.refusedEntries.map(\.path)) == ["../../etc/passwd", "a/../../b", "ok/escape"])
        #expect(filesystem.content(of: "ok/file") == Array("ok".utf8))
    }

    @Test("symlinks are followed inside the image for content")
    func symlinks() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        try FileManager.default.createDirectory(atPath: root + "/usr/lib", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try Data("ID=debian\nVERSION_ID=\"12\"\n".utf8).write(
            to: URL(fileURLWithPath: root + "/usr/lib/os-release"))
        try FileManager.default.createSymbolicLink(
            atPath: root + "/etc/os-release", withDestinationPath: "../usr/lib/os-release")
        let archive = try await shell("tar -cf - .", in: root)
        var filesystem = LayeredFilesystem()
        try await filesystem.apply(
            layer: Self.origin(0), archive: TarReader(stream(archive)), capture: { _ in 1024 })
        #expect(OSRelease.detect(in: filesystem) == OSRelease(id: "debian", versionID: "12"))
    }
}
