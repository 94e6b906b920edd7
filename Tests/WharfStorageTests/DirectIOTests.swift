import Foundation
import NIOCore
import Testing
import WharfContent
import WharfTestSupport

@testable import WharfStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Direct I/O for large appends")
struct DirectIOTests {
    /// An upload's staging file as a client would send it: a small first chunk leaves the
    /// file unaligned, then large pieces of odd sizes follow.
    static let pieces = [1_000, 3_000_001, 2 << 20, 1_500_000].enumerated().map { index, size in
        (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 12) ^ index) }
    }

    @Test(
        "with direct I/O on, large appends reach the file without filling the page cache; off, they stay cached"
    )
    func largeAppendsBypassThePageCache() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let onDisk = try PageCache.directIOBypassesCache(under: directory.path)
        for directIO in [true, false] {
            let driver = try FileSystemDriver(rootDirectory: root, directIO: directIO)
            let file = try StoragePath("/uploads/\(directIO)/data")
            let writer = try await driver.writer(file, append: true)
            for piece in Self.pieces { try await writer.write(ByteBuffer(bytes: piece)) }
            try await writer.commit()

            let fullPath = driver.fullPath(file)
            let resident = try PageCache.residentFraction(of: fullPath)
            if onDisk && directIO {
                #expect(resident < 0.05, "\(Int(resident * 100))% of the pages are cached")
            } else {
                #expect(resident > 0.95, "only \(Int(resident * 100))% of the pages are cached")
            }
            let written = try Data(contentsOf: URL(fileURLWithPath: fullPath))
            #expect(written == Data(Self.pieces.joined()), "every byte in its place (direct I/O \(directIO))")
        }
    }

    @Test("a direct write the file system refuses is written buffered instead, and no byte is lost")
    func refusedDirectWritesFallBack() throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("data")
        let buffered = try SystemCall.openForAppending(path)
        defer { SystemCall.closeDescriptor(buffered) }
        // A descriptor opened for reading: every write through it fails with EBADF, as a
        // direct write fails on a device or file system that does not take it.
        let refusing = try SystemCall.open(path, flags: O_RDONLY)
        var append = DirectAppend(directDescriptor: refusing, size: 0)
        #expect(append.isDirect)
        for piece in Self.pieces {
            try piece.withUnsafeBytes { try append.append($0, buffered: buffered, path: path) }
        }
        #expect(!append.isDirect, "a refused direct write turns direct I/O off for the file")
        #expect(append.size == Int64(Self.pieces.joined().count))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(Self.pieces.joined()))
        append.close()
    }
}
