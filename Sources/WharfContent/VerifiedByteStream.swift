public import NIOCore

/// Wraps a byte sequence and checks, while it streams, that it has exactly the expected
/// size and digest.
///
/// The stream fails with ``ContentError/sizeMismatch(expected:actual:)`` as soon as more
/// bytes arrive than expected, or at the end when fewer did, and with
/// ``ContentError/digestMismatch(expected:actual:)`` at the end when the hash differs.
/// The last chunk is only handed on after the whole stream has been verified, so a
/// consumer that commits on end-of-stream never commits unverified bytes.
public struct VerifiedByteStream<Base: AsyncSequence>: AsyncSequence where Base.Element == ByteBuffer {
    /// The stream yields byte buffers.
    public typealias Element = ByteBuffer

    let base: Base
    let expectedDigest: OCIDigest
    let expectedSize: Int64

    /// Creates a verifying view of `base` that must produce `size` bytes hashing to `digest`.
    public init(_ base: Base, digest: OCIDigest, size: Int64) {
        self.base = base
        self.expectedDigest = digest
        self.expectedSize = size
    }

    /// Creates the verifying iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(
            base: base.makeAsyncIterator(),
            hasher: DigestHasher(algorithm: expectedDigest.algorithm),
            expectedDigest: expectedDigest,
            expectedSize: expectedSize)
    }

    /// The iterator of a ``VerifiedByteStream``.
    public struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let hasher: DigestHasher
        let expectedDigest: OCIDigest
        let expectedSize: Int64
        var received: Int64 = 0
        var pending: ByteBuffer?
        var finished = false

        /// The next verified buffer, or `nil` once the whole stream has been verified.
        public mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            // Hold one chunk back so that the final chunk is released only after the
            // end-of-stream checks have passed.
            while true {
                guard let chunk = try await base.next() else {
                    finished = true
                    try verifyEnd()
                    let last = pending
                    pending = nil
                    return last
                }
                if chunk.readableBytes == 0 { continue }
                received += Int64(chunk.readableBytes)
                if received > expectedSize {
                    finished = true
                    throw ContentError.sizeMismatch(expected: expectedSize, actual: received)
                }
                hasher.update(chunk)
                let previous = pending
                pending = chunk
                if let previous { return previous }
            }
        }

        private func verifyEnd() throws {
            guard received == expectedSize else {
                throw ContentError.sizeMismatch(expected: expectedSize, actual: received)
            }
            let actual = hasher.finalize()
            guard actual == expectedDigest else {
                throw ContentError.digestMismatch(expected: expectedDigest, actual: actual)
            }
        }
    }
}

extension VerifiedByteStream: Sendable where Base: Sendable {}

extension AsyncSequence where Element == ByteBuffer {
    /// A view of this sequence that verifies size and digest while it streams.
    public func verified(digest: OCIDigest, size: Int64) -> VerifiedByteStream<Self> {
        VerifiedByteStream(self, digest: digest, size: size)
    }
}
