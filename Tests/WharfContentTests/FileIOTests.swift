import Foundation
import NIOCore
import Testing
import WharfContent
import WharfTestSupport

@Suite("File streaming and atomic writes")
struct FileIOTests {
    @Test("streams a file in chunks from an offset and for a length")
    func streamsRanges() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("file")
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var whole: [UInt8] = []
        for try await chunk in FileByteStream(path: path, chunkSize: 4096) {
            whole += chunk.readableBytesView
        }
        #expect(whole == bytes)
        var part: [UInt8] = []
        for try await chunk in FileByteStream(path: path, offset: 1000, length: 9000, chunkSize: 4096) {
            part += chunk.readableBytesView
        }
        #expect(part == Array(bytes[1000..<10000]))
    }

    @Test("a missing file fails with an I/O error naming the path")
    func missingFile() async throws {
        await #expect {
            for try await _ in FileByteStream(path: "/nonexistent/wharf/file") {}
        } throws: { error in
            "\(error)".contains("/nonexistent/wharf/file")
        }
    }

    @Test("a file becomes visible only on commit, and a failed stream leaves nothing behind")
    func atomicVisibility() async throws {
        let directory = try TemporaryDirectory()
        let destination = directory.appending("blobs/final")
        let writer = try await AtomicFileWriter(destination: destination)
        try await writer.write(ByteBuffer(string: "partial"))
        #expect(!FileManager.default.fileExists(atPath: destination))
        try await writer.commit()
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "partial")

        let other = directory.appending("blobs/other")
        let wrong = Descriptor(mediaType: "application/octet-stream", bytes: Array("right".utf8))
        await #expect(throws: ContentError.self) {
            try await AtomicFileWriter.write(
                ByteStream(ByteBuffer(string: "wrong")).verified(digest: wrong.digest, size: wrong.size),
                to: other)
        }
        #expect(!FileManager.default.fileExists(atPath: other))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appending("blobs"))
        #expect(leftovers == ["final"], "no temporary file survives a failed write")
    }
}
