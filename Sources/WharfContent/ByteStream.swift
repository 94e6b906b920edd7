public import NIOCore

/// A type-erased, single-pass stream of bytes: the currency in which blobs move.
///
/// Content stores hand out and take `ByteStream`s so that no blob is ever held whole in
/// memory. Any `AsyncSequence` of `ByteBuffer` can be wrapped; the stream pulls from it
/// lazily, so back-pressure is that of the underlying source.
public struct ByteStream: AsyncSequence, Sendable {
    /// The stream yields byte buffers.
    public typealias Element = ByteBuffer

    private let makeNext: @Sendable () -> @Sendable () async throws -> ByteBuffer?

    /// Wraps any sendable asynchronous sequence of byte buffers.
    public init<Source: AsyncSequence & Sendable>(_ source: Source) where Source.Element == ByteBuffer {
        self.makeNext = {
            let box = IteratorBox(source.makeAsyncIterator())
            return { try await box.next() }
        }
    }

    /// A stream that yields `buffer` once (nothing when it is empty).
    public init(_ buffer: ByteBuffer) {
        self.init(CollectionOfOne(buffer).async(skippingEmpty: true))
    }

    /// A stream that yields nothing.
    public static var empty: ByteStream { ByteStream(ByteBuffer()) }

    /// Creates an iterator. A `ByteStream` is meant to be iterated once.
    public func makeAsyncIterator() -> Iterator {
        Iterator(advance: makeNext())
    }

    /// Reads the whole stream into one buffer, failing once it would exceed `limit` bytes.
    ///
    /// Only for bounded content such as manifests and configs; blobs are streamed.
    public func collect(upTo limit: Int) async throws -> ByteBuffer {
        var result = ByteBuffer()
        for try await var chunk in self {
            guard result.readableBytes + chunk.readableBytes <= limit else {
                throw ContentError.tooLarge(limit: Int64(limit))
            }
            result.writeBuffer(&chunk)
        }
        return result
    }

    /// The same bytes; an error the stream throws is replaced by `transform(error)`. A
    /// layer uses it to hand out streams that fail with its own errors, not those of the
    /// layer below.
    public func mapError(_ transform: @escaping @Sendable (any Error) -> any Error) -> ByteStream {
        let base = self
        return ByteStream(
            ErrorMappingSequence(base: base, transform: transform))
    }

    /// The iterator of a ``ByteStream``.
    public struct Iterator: AsyncIteratorProtocol {
        let advance: @Sendable () async throws -> ByteBuffer?

        /// The next buffer, or `nil` at the end of the stream.
        public mutating func next() async throws -> ByteBuffer? {
            try await advance()
        }
    }
}

/// Holds a source iterator behind a reference so the type-erased closure can advance it.
///
/// A stream is consumed by one task at a time; the box is `@unchecked Sendable` only so it
/// can be captured by the `@Sendable` closure that the iterator calls sequentially.
private final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable
where Base.Element == ByteBuffer {
    private var base: Base

    init(_ base: Base) { self.base = base }

    func next() async throws -> ByteBuffer? {
        try await base.next()
    }
}

/// A synchronous sequence presented as an asynchronous one.
struct AsyncSequenceOfSequence<Base: Sequence & Sendable>: AsyncSequence, Sendable
where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let skippingEmpty: Bool

    struct AsyncIterator: AsyncIteratorProtocol {
        var iterator: Base.Iterator
        let skippingEmpty: Bool
        mutating func next() async -> ByteBuffer? {
            while let buffer = iterator.next() {
                if !(skippingEmpty && buffer.readableBytes == 0) { return buffer }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(iterator: base.makeIterator(), skippingEmpty: skippingEmpty)
    }
}

extension Sequence where Self: Sendable, Element == ByteBuffer {
    func async(skippingEmpty: Bool) -> AsyncSequenceOfSequence<Self> {
        AsyncSequenceOfSequence(base: self, skippingEmpty: skippingEmpty)
    }
}

/// The sequence behind ``ByteStream/mapError(_:)``.
private struct ErrorMappingSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let transform: @Sendable (any Error) -> any Error

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        let transform: @Sendable (any Error) -> any Error

        mutating func next() async throws -> ByteBuffer? {
            do {
                return try await base.next()
            } catch {
                throw transform(error)
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), transform: transform)
    }
}
