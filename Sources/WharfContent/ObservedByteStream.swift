public import NIOCore

/// Passes a byte sequence through unchanged, telling an observer the running total of
/// bytes after each chunk: how progress is measured without touching the bytes.
public struct ObservedByteStream<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable
where Base.Element == ByteBuffer {
    /// The stream yields byte buffers.
    public typealias Element = ByteBuffer

    let base: Base
    let observe: @Sendable (Int64) -> Void

    /// Wraps `base`, calling `observe` with the running byte count after each chunk.
    public init(_ base: Base, observe: @escaping @Sendable (Int64) -> Void) {
        self.base = base
        self.observe = observe
    }

    /// Creates the observing iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), observe: observe)
    }

    /// The iterator of an ``ObservedByteStream``.
    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let observe: @Sendable (Int64) -> Void
        var total: Int64 = 0

        /// The next chunk, after reporting the new total.
        public mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            total += Int64(chunk.readableBytes)
            observe(total)
            return chunk
        }
    }
}
