import NIOCore
import Testing
import WharfContent

@Suite("Verified byte streams")
struct VerifiedByteStreamTests {
    static let content = Array("the quick brown fox jumps over the lazy dog".utf8)
    static let digest = DigestHasher.digest(of: content)

    static func chunks(_ bytes: [UInt8], size: Int = 7) -> ByteStream {
        let buffers = stride(from: 0, to: bytes.count, by: size).map {
            ByteBuffer(bytes: bytes[$0..<min($0 + size, bytes.count)])
        }
        return ByteStream(AsyncBufferSequence(buffers: buffers))
    }

    static func drain(_ stream: some AsyncSequence<ByteBuffer, any Error>) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in stream { bytes += chunk.readableBytesView }
        return bytes
    }

    @Test("passes matching bytes through unchanged")
    func passesMatchingBytes() async throws {
        let stream = Self.chunks(Self.content).verified(digest: Self.digest, size: Int64(Self.content.count))
        #expect(try await Self.drain(stream) == Self.content)
    }

    @Test("fails with a size mismatch when the stream ends early")
    func failsWhenShort() async throws {
        let stream = Self.chunks(Array(Self.content.dropLast())).verified(
            digest: Self.digest, size: Int64(Self.content.count))
        await #expect(
            throws: ContentError.sizeMismatch(
                expected: Int64(Self.content.count), actual: Int64(Self.content.count - 1))
        ) {
            try await Self.drain(stream)
        }
    }

    @Test("fails as soon as more bytes arrive than declared, without reading the rest")
    func failsEarlyWhenLong() async throws {
        let declared = Int64(10)
        let stream = Self.chunks(Self.content, size: 7).verified(digest: Self.digest, size: declared)
        // 14 bytes read means the stream stopped at the second of seven chunks.
        await #expect(throws: ContentError.sizeMismatch(expected: declared, actual: 14)) {
            try await Self.drain(stream)
        }
    }

    @Test("fails with a digest mismatch when the bytes differ, and withholds the last chunk")
    func failsOnDigestMismatch() async throws {
        var tampered = Self.content
        tampered[tampered.count - 1] ^= 0x01
        var iterator = Self.chunks(tampered, size: 20).verified(
            digest: Self.digest, size: Int64(tampered.count)
        ).makeAsyncIterator()
        var delivered = 0
        do {
            while let chunk = try await iterator.next() { delivered += chunk.readableBytes }
            Issue.record("tampered stream verified")
        } catch let error as ContentError {
            guard case .digestMismatch(let expected, _) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(expected == Self.digest)
        }
        #expect(delivered < tampered.count, "the final chunk must not be released unverified")
    }
}

/// A finite async sequence of buffers.
struct AsyncBufferSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: ArraySlice<ByteBuffer>
        mutating func next() async -> ByteBuffer? { remaining.popFirst() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: buffers[...]) }
}
