public import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams a file's bytes from an offset, reading on NIO's blocking-I/O thread pool so
/// that no event loop or cooperative thread ever blocks on the disk.
///
/// The file is opened on the first read and closed at the end of the stream or when the
/// iterator is discarded. While the consumer works on one chunk, the next is already being
/// read, so disk (or page cache) and consumer overlap.
public struct FileByteStream: AsyncSequence, Sendable {
    /// The stream yields byte buffers.
    public typealias Element = ByteBuffer

    /// The file's path.
    public let path: String
    /// Where reading starts.
    public let offset: Int64
    /// How many bytes to read at most (`nil`: to the end of the file).
    public let length: Int64?
    /// The size of each read.
    public let chunkSize: Int

    /// The default read size: large enough that the per-read overhead vanishes next to the
    /// work done on the bytes, small enough to keep memory flat.
    public static let defaultChunkSize = 1 << 20

    /// Creates a stream over `path`, from `offset`, of at most `length` bytes.
    public init(path: String, offset: Int64 = 0, length: Int64? = nil, chunkSize: Int = defaultChunkSize) {
        self.path = path
        self.offset = offset
        self.length = length
        self.chunkSize = Swift.max(4096, chunkSize)
    }

    /// Creates the reading iterator.
    public func makeAsyncIterator() -> Iterator {
        Iterator(stream: self)
    }

    /// The iterator of a ``FileByteStream``.
    public struct Iterator: AsyncIteratorProtocol {
        private let file: OpenFileReference
        private var position: Int64
        private var remaining: Int64?
        private var pending: Task<ByteBuffer, any Error>?
        private let chunkSize: Int

        init(stream: FileByteStream) {
            self.file = OpenFileReference(path: stream.path)
            self.position = stream.offset
            self.remaining = stream.length
            self.chunkSize = stream.chunkSize
        }

        /// The next chunk, or `nil` at the end of the file (or of the requested length).
        public mutating func next() async throws -> ByteBuffer? {
            let task = pending ?? startRead()
            pending = nil
            let chunk = try await task.value
            guard chunk.readableBytes > 0 else {
                file.close()
                return nil
            }
            position += Int64(chunk.readableBytes)
            remaining = remaining.map { $0 - Int64(chunk.readableBytes) }
            if remaining.map({ $0 > 0 }) ?? true {
                pending = startRead()  // overlap the next read with the consumer's work
            } else {
                file.close()
            }
            return chunk
        }

        private func startRead() -> Task<ByteBuffer, any Error> {
            let count = remaining.map { Int(Swift.min(Int64(chunkSize), $0)) } ?? chunkSize
            let file = self.file
            let position = self.position
            return Task {
                try await FileSystemThreadPool.run {
                    try file.read(count: count, at: position)
                }
            }
        }
    }
}

/// An open file descriptor, opened lazily and closed exactly once.
final class OpenFileReference: @unchecked Sendable {
    // Guarded by the stream's sequential use: one read is in flight at a time, and `close`
    // runs only after it has finished (or from deinit, when nothing else holds the file).
    private let path: String
    private var descriptor: Int32 = -1
    private var closed = false

    init(path: String) { self.path = path }

    deinit { close() }

    func read(count: Int, at offset: Int64) throws -> ByteBuffer {
        if descriptor < 0 {
            guard !closed else { return ByteBuffer() }
            descriptor = try SystemCall.open(path, flags: O_RDONLY | O_CLOEXEC)
        }
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        var filled = 0
        while filled < count {
            let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count - filled) {
                pointer in
                try SystemCall.pread(
                    descriptor, into: pointer, count: count - filled, at: offset + Int64(filled), path: path)
            }
            if got == 0 { break }
            filled += got
        }
        return buffer
    }

    func close() {
        guard !closed else { return }
        closed = true
        if descriptor >= 0 {
            _ = SystemCall.closeDescriptor(descriptor)
            descriptor = -1
        }
    }
}
