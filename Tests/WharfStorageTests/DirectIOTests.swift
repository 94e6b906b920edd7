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
        #if os(Linux)
            let onDisk = try !Self.isInMemoryFileSystem(directory.path)
        #else
            let onDisk = false  // Darwin has no O_DIRECT: both settings write through the cache
        #endif
        for directIO in [true, false] {
            let driver = try FileSystemDriver(rootDirectory: root, directIO: directIO)
            let file = try StoragePath("/uploads/\(directIO)/data")
            let writer = try await driver.writer(file, append: true)
            for piece in Self.pieces { try await writer.write(ByteBuffer(bytes: piece)) }
            try await writer.commit()

            let fullPath = driver.fullPath(file)
            let resident = try Self.residentFraction(of: fullPath)
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

    /// The share of `path`'s pages that are in the page cache, from `mincore(2)`.
    static func residentFraction(of path: String) throws -> Double {
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var info = stat()
        try #require(fstat(descriptor, &info) == 0)
        let length = Int(info.st_size)
        let mapping = try #require(mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, length) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
        #if canImport(Darwin)
            let result = vector.withUnsafeMutableBytes {
                mincore(mapping, length, $0.baseAddress?.assumingMemoryBound(to: CChar.self))
            }
        #else
            let result = mincore(mapping, length, &vector)
        #endif
        try #require(result == 0)
        return Double(vector.filter { $0 & 1 == 1 }.count) / Double(vector.count)
    }

    #if os(Linux)
        /// Whether `path` is on a file system that lives in the page cache (tmpfs, ramfs),
        /// where direct I/O has nothing to bypass: the type of the longest mount point in
        /// /proc/mounts that contains it.
        static func isInMemoryFileSystem(_ path: String) throws -> Bool {
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
            let containing = mounts.split(separator: "\n").compactMap { line -> (String, String)? in
                let fields = line.split(separator: " ")
                guard fields.count > 2 else { return nil }
                let point = String(fields[1])
                let inside = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
                return inside ? (point, String(fields[2])) : nil
            }
            let type = try #require(containing.max { $0.0.count < $1.0.count }).1
            return ["tmpfs", "ramfs"].contains(type)
        }
    #endif
}
