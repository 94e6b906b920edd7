import Testing
import WharfContent
import WharfTestSupport

@testable import WharfScan

@Suite("Whiteouts against a model")
struct WhiteoutModelTests {
    /// The rules, applied the obvious way over every path: opaque directories, whiteouts,
    /// then entries, a non-directory replacing a directory taking its subtree.
    struct Model {
        var files: [String: TarEntry.Kind] = [:]

        mutating func apply(_ changes: LayeredFilesystem.LayerChanges) {
            for directory in changes.opaqueDirectories {
                files = files.filter { !(LayerPath.isWithin($0.key, directory) && $0.key != directory) }
            }
            for path in changes.whiteouts {
                files = files.filter { !LayerPath.isWithin($0.key, path) }
            }
            for entry in changes.entries {
                if entry.kind != .directory, files[entry.path] == .directory {
                    files = files.filter { !LayerPath.isWithin($0.key, entry.path) }
                }
                files[entry.path] = entry.kind
            }
        }
    }

    @Test("500 random layer stacks end in exactly the files the rules give, directory entries or not")
    func randomStacks() {
        var random = SeededGenerator(seed: 77)
        let names = ["a", "b", "c", "d"]
        func randomPath() -> String {
            (0..<Int.random(in: 1...4, using: &random)).map { _ in
                names[Int.random(in: 0..<4, using: &random)]
            }
            .joined(separator: "/")
        }
        for stack in 0..<500 {
            var model = Model()
            var filesystem = LayeredFilesystem()
            for index in 0..<Int.random(in: 1...6, using: &random) {
                let origin = LayerOrigin(
                    index: index, digest: DigestHasher.digest(of: Array("\(stack)/\(index)".utf8)),
                    diffID: nil)
                var changes = LayeredFilesystem.LayerChanges()
                for _ in 0..<Int.random(in: 0...3, using: &random) {
                    changes.opaqueDirectories.append(Bool.random(using: &random) ? randomPath() : "")
                }
                for _ in 0..<Int.random(in: 0...4, using: &random) { changes.whiteouts.append(randomPath()) }
                for _ in 0..<Int.random(in: 1...12, using: &random) {
                    // Directory entries are optional in real archives: often only files come.
                    let kind: TarEntry.Kind = Int.random(in: 0..<3, using: &random) == 0 ? .directory : .file
                    changes.entries.append(
                        ImageFile(
                            path: randomPath(), kind: kind, size: 0, mode: 0o644, linkTarget: nil,
                            layer: origin))
                }
                model.apply(changes)
                filesystem.apply(changes)
                #expect(
                    Set(filesystem.files.keys) == Set(model.files.keys), "stack \(stack), layer \(index)")
            }
        }
    }
}
