import Foundation
import NIOCore
import WharfStorage

enum DirectoryChecks {
    static let all: [StorageDriverTestKit.Check] = [
        .init(name: "stat tells files from directories and reports sizes and a recent modification time") {
            driver in
            let before = Date().addingTimeInterval(-5)
            try await driver.putContent(try path("/d/f"), ByteBuffer(bytes: bytes(42)))
            let file = try await driver.stat(try path("/d/f"))
            try expect(!file.isDirectory && file.size == 42, "file info \(file)")
            try expect(file.modificationTime >= before, "modification time is recent")
            let directory = try await driver.stat(try path("/d"))
            try expect(directory.isDirectory, "directory info \(directory)")
            try await expectError("notFound", isNotFound) {
                _ = try await driver.stat(try path("/d/missing"))
            }
        },
        .init(name: "list returns the direct children, sorted, and fails for a missing directory") { driver in
            for name in ["/l/b", "/l/a/x", "/l/a/y", "/l/c-d", "/l/c/z"] {
                try await driver.putContent(try path(name), ByteBuffer(string: name))
            }
            let children = try await driver.list(try path("/l"))
            try expect(
                children.map(\.rawValue) == ["/l/a", "/l/b", "/l/c", "/l/c-d"], "children \(children)")
            try await expectError("notFound", isNotFound) { _ = try await driver.list(try path("/nothing")) }
        },
        .init(name: "move relocates a file, replacing the destination and creating its parents") { driver in
            try await driver.putContent(try path("/m/src"), ByteBuffer(string: "moving"))
            try await driver.putContent(try path("/m2/deep/dst"), ByteBuffer(string: "old"))
            try await driver.move(from: try path("/m/src"), to: try path("/m2/deep/dst"))
            try expect(
                try await driver.getContent(try path("/m2/deep/dst"), limit: 10)
                    == ByteBuffer(string: "moving"), "moved")
            try expect(!(try await driver.exists(try path("/m/src"))), "source gone")
            try await driver.putContent(try path("/m/other"), ByteBuffer(string: "x"))
            try await driver.move(from: try path("/m/other"), to: try path("/fresh/a/b/c"))
            try expect(try await driver.exists(try path("/fresh/a/b/c")), "parents created")
            try await expectError("notFound", isNotFound) {
                try await driver.move(from: try path("/m/none"), to: try path("/m/x"))
            }
        },
        .init(name: "delete removes a file or a whole tree and leaves siblings alone") { driver in
            for name in ["/t/keep", "/t/tree/a", "/t/tree/b/c", "/t/tree-sibling"] {
                try await driver.putContent(try path(name), ByteBuffer(string: name))
            }
            try await driver.delete(try path("/t/tree"))
            try expect(!(try await driver.exists(try path("/t/tree/b/c"))), "tree gone")
            try expect(try await driver.exists(try path("/t/keep")), "sibling kept")
            try expect(try await driver.exists(try path("/t/tree-sibling")), "prefix-named sibling kept")
            try await driver.delete(try path("/t/keep"))
            try expect(!(try await driver.exists(try path("/t/keep"))), "file gone")
            try await expectError("notFound", isNotFound) { try await driver.delete(try path("/t/keep")) }
        },
    ]
}
