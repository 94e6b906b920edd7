import NIOCore

extension ByteStream {
    /// The first `length` bytes of this stream; reading stops there, whatever follows.
    public func limited(to length: Int64) -> ByteStream {
        ByteStream(LimitedByteSequence(base: self, length: length))
    }
}

/// Yields at most `length` bytes of its base, trimming the chunk that crosses the limit.
struct LimitedByteSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let length: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        var remaining: Int64

        mutating func next() async throws -> ByteBuffer? {
            guard remaining > 0, var chunk = try await base.next() else { return nil }
            if Int64(chunk.readableBytes) > remaining {
                chunk = chunk.getSlice(at: chunk.readerIndex, length: Int(remaining)) ?? ByteBuffer()
            }
            remaining -= Int64(chunk.readableBytes)
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), remaining: length)
    }
}
