import NIOCore
import WharfStorage

enum ReaderWriterChecks {
    static let all: [StorageDriverTestKit.Check] = [
        .init(name: "reader streams from any offset up to the size, and rejects offsets past the end") {
            driver in
            let file = try path("/blob")
            let content = bytes(300_000)
            try await driver.putContent(file, ByteBuffer(bytes: content))
            try expect(try await readAll(driver, file) == content, "from 0")
            try expect(
                try await readAll(driver, file, offset: 123_456) == Array(content[123_456...]), "from middle")
            try expect(try await readAll(driver, file, offset: 300_000).isEmpty, "from the end")
            try await expectError(
                "invalidOffset", { if case StorageError.invalidOffset = $0 { true } else { false } }
            ) {
                _ = try await driver.reader(file, offset: 300_001)
            }
            try await expectError("notFound", isNotFound) {
                _ = try await driver.reader(try path("/nope"), offset: 0)
            }
        },
        .init(name: "a new-file writer is invisible until commit, then shows everything written") { driver in
            let file = try path("/staged/file")
            let writer = try await driver.writer(file, append: false)
            try await writer.write(ByteBuffer(bytes: bytes(70_000, seed: 1)))
            try await writer.write(ByteBuffer(bytes: bytes(30_000, seed: 2)))
            try expect(await writer.size == 100_000, "size counts written bytes")
            try expect(!(try await driver.exists(file)), "nothing visible before commit")
            try await writer.commit()
            try expect(
                try await readAll(driver, file) == bytes(70_000, seed: 1) + bytes(30_000, seed: 2),
                "content after commit")
        },
        .init(name: "a new-file writer replaces an existing file only on commit") { driver in
            let file = try path("/replace")
            try await driver.putContent(file, ByteBuffer(string: "old"))
            let writer = try await driver.writer(file, append: false)
            try await writer.write(ByteBuffer(string: "new content"))
            try expect(
                try await driver.getContent(file, limit: 100) == ByteBuffer(string: "old"), "old until commit"
            )
            try await writer.commit()
            try expect(
                try await driver.getContent(file, limit: 100) == ByteBuffer(string: "new content"),
                "new after")
        },
        .init(name: "cancelling a new-file writer leaves nothing behind") { driver in
            let file = try path("/cancelled/file")
            let writer = try await driver.writer(file, append: false)
            try await writer.write(ByteBuffer(string: "doomed"))
            try await writer.cancel()
            try expect(!(try await driver.exists(file)), "no file after cancel")
        },
        .init(name: "an append writer continues existing content and reports the total size") { driver in
            let file = try path("/uploads/id/data")
            let first = try await driver.writer(file, append: true)
            try expect(await first.size == 0, "a new append target starts empty")
            try await first.write(ByteBuffer(bytes: bytes(5000, seed: 3)))
            try await first.commit()
            let second = try await driver.writer(file, append: true)
            try expect(await second.size == 5000, "resumed writer starts at the existing size")
            try await second.write(ByteBuffer(bytes: bytes(2000, seed: 4)))
            try await second.commit()
            try expect(
                try await readAll(driver, file) == bytes(5000, seed: 3) + bytes(2000, seed: 4),
                "appended content")
            try expect(try await driver.stat(file).size == 7000, "stat size")
        },
        .init(name: "an append writer keeps large writes of any size and starting offset in order") {
            driver in
            // Sizes around the boundaries a driver may batch or align at (pages, mebibytes),
            // starting at offsets that are and are not aligned, over two writers (a resume).
            let file = try path("/uploads/large/data")
            let sizes = [[5_000, 1_300_000, 4096 * 300, 70_000, 1], [2_100_003, 65_536, 4096, 1 << 20]]
            var expected: [UInt8] = []
            for (round, roundSizes) in sizes.enumerated() {
                let writer = try await driver.writer(file, append: true)
                try expect(await writer.size == Int64(expected.count), "a resumed writer starts at the size")
                for (index, size) in roundSizes.enumerated() {
                    let piece = unpatternedBytes(size, seed: UInt64(round * 100 + index))
                    try await writer.write(ByteBuffer(bytes: piece))
                    expected += piece
                }
                try expect(await writer.size == Int64(expected.count), "size counts every byte")
                try await writer.commit()
            }
            try expect(try await driver.stat(file).size == Int64(expected.count), "stat size")
            try expect(try await readAll(driver, file) == expected, "every byte in its place")
        },
        .init(name: "a writer refuses to write or commit after it was committed") { driver in
            let writer = try await driver.writer(try path("/once"), append: false)
            try await writer.write(ByteBuffer(string: "x"))
            try await writer.commit()
            try await expectError("an error", { _ in true }) { try await writer.commit() }
        },
    ]
}
