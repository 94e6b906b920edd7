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

extension ByteStream {
    /// The same bytes, checked to number exactly `size`: the stream fails with
    /// ``ContentError/sizeMismatch(expected:actual:)`` as soon as more arrive, or at the end
    /// when fewer did. For a consumer that hashes the bytes itself and needs only the size
    /// held to a descriptor (``verified(digest:size:)`` checks both).
    public func sized(exactly size: Int64) -> ByteStream {
        ByteStream(SizeCheckingSequence(base: self, size: size))
    }
}

/// The sequence behind ``ByteStream/sized(exactly:)``.
struct SizeCheckingSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let size: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        let size: Int64
        var seen: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else {
                guard seen == size else { throw ContentError.sizeMismatch(expected: size, actual: seen) }
                return nil
            }
            seen += Int64(chunk.readableBytes)
            guard seen <= size else { throw ContentError.sizeMismatch(expected: size, actual: seen) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), size: size)
    }
}
