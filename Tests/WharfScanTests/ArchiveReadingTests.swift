import Foundation
import NIOCore
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

func stream(_ data: Data, chunk: Int = 7919) -> ByteStream {
    // Odd chunk sizes make headers and contents straddle chunk boundaries.
    let buffers = stride(from: 0, to: data.count, by: chunk).map {
        ByteBuffer(bytes: data[$0..<min($0 + chunk, data.count)])
    }
    return ByteStream(ChunkSequence(chunks: buffers))
}

/// Hands out fixed chunks.
struct ChunkSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunks: [ByteBuffer]
    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<ByteBuffer>
        mutating func next() async -> ByteBuffer? { remaining.popFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: chunks[...]) }
}

@Suite("Reading layers: gzip and tar")
struct ArchiveReadingTests {
    @Test("gzip from the gzip tool inflates, also as several concatenated members")
    func gzipMembers() async throws {
        let directory = try TemporaryDirectory()
        var generator = SeededGenerator(seed: 5)
        let first = Data((0..<300_000).map { _ in UInt8.random(in: 0...8, using: &generator) })
        let second = Data("second member\n".utf8)
        try first.write(to: URL(fileURLWithPath: directory.appending("a")))
        try second.write(to: URL(fileURLWithPath: directory.appending("b")))
        let gzipped = try await shell("gzip -c a; gzip -9 -c b", in: directory.path)
        let inflated = try await stream(gzipped).gunzipped(limit: 1 << 30).collect(upTo: 1 << 30)
        #expect(Data(inflated.readableBytesView) == first + second)
    }

    @Test("truncated, corrupt and oversized gzip streams fail with a clear error")
    func gzipFailures() async throws {
        let directory = try TemporaryDirectory()
        try Data(repeating: 0, count: 5_000_000).write(to: URL(fileURLWithPath: directory.appending("zeros")))
        let bomb = try await shell("gzip -c zeros", in: directory.path)
        await #expect(throws: ScanError.limitExceeded("a layer inflates to more than 1000000 bytes")) {
            _ = try await stream(bomb).gunzipped(limit: 1_000_000).collect(upTo: 1 << 30)
        }
        await #expect(throws: ScanError.truncated("the gzip stream ends inside a member")) {
            _ = try await stream(bomb.prefix(bomb.count / 2)).gunzipped(limit: 1 << 30).collect(upTo: 1 << 30)
        }
        var corrupt = bomb
        corrupt[corrupt.count / 2] ^= 0xFF
        corrupt[corrupt.count / 2 + 1] ^= 0xFF
        await #expect(throws: ScanError.self) {
            _ = try await stream(corrupt).gunzipped(limit: 1 << 30).collect(upTo: 1 << 30)
        }
        await #expect(throws: ScanError.self) {
            _ = try await stream(Data("not gzip at all".utf8)).gunzipped(limit: 1 << 30).collect(
                upTo: 1 << 30)
        }
    }

    @Test(
        "GNU, pax and ustar archives from GNU tar list the same entries as `tar -tv`",
        arguments: ["gnu", "pax", "ustar"])
    func tarFormats(format: String) async throws {
        let directory = try TemporaryDirectory()
        let tree = directory.appending("tree")
        let longDirectory = String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60)
        try FileManager.default.createDirectory(
            atPath: "\(tree)/\(longDirectory)", withIntermediateDirectories: true)
        let longFile = "\(longDirectory)/" + String(repeating: "f", count: 90) + ".txt"
        try Data("long\n".utf8).write(to: URL(fileURLWithPath: "\(tree)/\(longFile)"))
        try Data(repeating: 0x41, count: 1025).write(to: URL(fileURLWithPath: "\(tree)/plain"))
        try FileManager.default.createSymbolicLink(atPath: "\(tree)/link", withDestinationPath: "plain")
        // A name whose first 100 bytes end in "/": a reader that judges the kind by the
        // cut-off field would take the file for a directory and lose its content.
        let cut = String(repeating: "g", count: 97)
        try FileManager.default.createDirectory(atPath: "\(tree)/\(cut)", withIntermediateDirectories: true)
        try Data(repeating: 0x43, count: 700).write(to: URL(fileURLWithPath: "\(tree)/\(cut)/x.txt"))
        _ = try await shell("ln plain hard && tar --format=\(format) -cf ../archive.tar .", in: tree)
        let listing = try await shell("tar -tvf archive.tar", in: directory.path)

        let reader = TarReader(
            stream(try Data(contentsOf: URL(fileURLWithPath: directory.appending("archive.tar")))))
        var entries: [TarEntry] = []
        var longContent: [UInt8] = []
        while let entry = try await reader.next() {
            entries.append(entry)
            if entry.path.hasSuffix(".txt") { longContent = try await reader.readContent(upTo: 1024) }
        }
        let expectedNames = String(decoding: listing, as: UTF8.self).split(separator: "\n").map { line in
            // `tar -tv` prints "... name", "... link -> target", "... hard link to target".
            var name = String(line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)[5])
            for marker in [" -> ", " link to "] {
                if let range = name.range(of: marker) { name = String(name[..<range.lowerBound]) }
            }
            return name
        }
        #expect(entries.map(\.path) == expectedNames)
        #expect(
            entries.first { $0.path == "./\(longFile)" } != nil, "a name over 100 bytes survives in \(format)"
        )
        #expect(longContent == Array("long\n".utf8))
        // `plain` and `hard` are one inode: whichever tar met first is the file.
        #expect(
            entries.first { ($0.path == "./plain" || $0.path == "./hard") && $0.kind == .file }?.size == 1025)
        let link = try #require(entries.first { $0.path == "./link" })
        #expect(link.kind == .symlink)
        #expect(link.linkTarget == "plain")
        let cutEntry = try #require(entries.first { $0.path == "./\(cut)/x.txt" })
        #expect(cutEntry.kind == .file)
        #expect(cutEntry.size == 700)
        let hardLinks = entries.filter { $0.kind == .hardlink }
        #expect(hardLinks.count == 1)
        #expect(["./plain", "./hard"].contains(hardLinks.first?.linkTarget ?? ""))
    }

    @Test("a truncated archive and a damaged header fail clearly")
    func tarFailures() async throws {
        let directory = try TemporaryDirectory()
        try Data(repeating: 0x42, count: 10_000).write(to: URL(fileURLWithPath: directory.appending("big")))
        let archive = try await shell("tar -cf - big", in: directory.path)
        await #expect(throws: ScanError.truncated("the archive ends inside an entry")) {
            let reader = TarReader(stream(archive.prefix(4096)))
            while try await reader.next() != nil {}
        }
        var damaged = archive
        damaged[10] ^= 0x01
        await #expect(
            throws: ScanError.corruptArchive("header checksum mismatch (not a tar archive, or damaged)")
        ) {
            _ = try await TarReader(stream(damaged)).next()
        }
    }
}
