import NIOCore
import WharfStorage

enum ContentChecks {
    static let all: [StorageDriverTestKit.Check] = [
        .init(name: "putContent then getContent returns the same bytes, and a second put replaces them") {
            driver in
            let file = try path("/a/b/file")
            try await driver.putContent(file, ByteBuffer(bytes: bytes(1000)))
            try expect(
                try await driver.getContent(file, limit: 4096) == ByteBuffer(bytes: bytes(1000)), "round trip"
            )
            try await driver.putContent(file, ByteBuffer(string: "short"))
            try expect(
                try await driver.getContent(file, limit: 4096) == ByteBuffer(string: "short"), "replacement")
        },
        .init(name: "putContent of empty content stores an empty file") { driver in
            let file = try path("/empty")
            try await driver.putContent(file, ByteBuffer())
            try expect(try await driver.getContent(file, limit: 10).readableBytes == 0, "empty content")
            try expect(try await driver.stat(file).size == 0, "size 0")
        },
        .init(name: "getContent fails with notFound for a missing path and tooLarge past the limit") {
            driver in
            try await expectError("notFound", isNotFound) {
                _ = try await driver.getContent(try path("/missing"), limit: 10)
            }
            let file = try path("/big")
            try await driver.putContent(file, ByteBuffer(bytes: bytes(100)))
            try await expectError("tooLarge", { if case StorageError.tooLarge = $0 { true } else { false } })
            {
                _ = try await driver.getContent(file, limit: 99)
            }
        },
        .init(name: "getContent of a directory fails instead of returning bytes") { driver in
            try await driver.putContent(try path("/dir/file"), ByteBuffer(string: "x"))
            try await expectError("an error", { _ in true }) {
                _ = try await driver.getContent(try path("/dir"), limit: 10)
            }
        },
        .init(name: "paths with dots, dashes and underscores are ordinary names") { driver in
            let file = try path("/_uploads/a.b-c_d/.hidden")
            try await driver.putContent(file, ByteBuffer(string: "ok"))
            try expect(
                try await driver.getContent(file, limit: 10) == ByteBuffer(string: "ok"),
                "content at odd name")
        },
    ]
}
