import NIOCore
import WharfContent

/// Looks at the first bytes of a stream without losing them.
final class MagicSniffer {
    enum Magic { case gzip, zstd, other }

    private var iterator: ByteStream.Iterator
    private var head = ByteBuffer()

    init(_ stream: ByteStream) {
        iterator = stream.makeAsyncIterator()
    }

    func magic() async throws -> Magic {
        while head.readableBytes < 4, var chunk = try await iterator.next() {
            head.writeBuffer(&chunk)
        }
        let bytes = Array(head.readableBytesView.prefix(4))
        if bytes.starts(with: [0x1F, 0x8B]) { return .gzip }
        if bytes == [0x28, 0xB5, 0x2F, 0xFD] { return .zstd }
        return .other
    }

    /// The whole stream, sniffed bytes first.
    var stream: ByteStream {
        let prefix = head
        let rest = UnsafeTransferIterator(iterator)
        return ByteStream(SniffedSequence(prefix: prefix, rest: rest))
    }
}

/// Hands an iterator to the one stream that continues it.
final class UnsafeTransferIterator: @unchecked Sendable {
    var iterator: ByteStream.Iterator
    init(_ iterator: ByteStream.Iterator) { self.iterator = iterator }
}

struct SniffedSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let prefix: ByteBuffer
    let rest: UnsafeTransferIterator

    struct AsyncIterator: AsyncIteratorProtocol {
        var prefix: ByteBuffer?
        let rest: UnsafeTransferIterator
        mutating func next() async throws -> ByteBuffer? {
            if let pending = prefix {
                prefix = nil
                if pending.readableBytes > 0 { return pending }
            }
            return try await rest.iterator.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(prefix: prefix, rest: rest) }
}
