import NIOCore
import Synchronization
import WharfContent

/// Appends to a file in place: the writer for upload staging, where bytes must survive a
/// restart and the upload's offset is simply the file's size.
final class AppendingFileWriter: StorageFileWriter, Sendable {
    private let path: StoragePath
    private let fullPath: String
    private let descriptor: Int32
    private let written: ByteCounter
    private let closed = Mutex(false)

    init(path: StoragePath, fullPath: String, descriptor: Int32, initialSize: Int64) {
        self.path = path
        self.fullPath = fullPath
        self.descriptor = descriptor
        self.written = ByteCounter(initialSize)
    }

    deinit {
        // A writer dropped without commit or cancel still releases its descriptor.
        if !closed.withLock({ $0 }) { SystemCall.closeDescriptor(descriptor) }
    }

    var size: Int64 { written.value }

    func write(_ buffer: ByteBuffer) async throws {
        guard !closed.withLock({ $0 }) else { throw StorageError.writerClosed(path) }
        let (descriptor, fullPath) = (self.descriptor, self.fullPath)
        try await FileSystemThreadPool.run {
            try buffer.withUnsafeReadableBytes { try SystemCall.writeAll(descriptor, $0, path: fullPath) }
        }
        written.add(Int64(buffer.readableBytes))
    }

    func commit() async throws {
        guard claim() else { throw StorageError.writerClosed(path) }
        let (descriptor, fullPath) = (self.descriptor, self.fullPath)
        try await FileSystemThreadPool.run {
            defer { SystemCall.closeDescriptor(descriptor) }
            try SystemCall.fsync(descriptor, path: fullPath)
        }
    }

    func cancel() async throws {
        guard claim() else { return }
        let (descriptor, fullPath) = (self.descriptor, self.fullPath)
        try await FileSystemThreadPool.run {
            SystemCall.closeDescriptor(descriptor)
            try? SystemCall.unlink(fullPath)
        }
    }

    private func claim() -> Bool {
        closed.withLock { done in
            defer { done = true }
            return !done
        }
    }
}

/// A thread-safe running byte count.
final class ByteCounter: Sendable {
    private let count: Mutex<Int64>

    init(_ initial: Int64 = 0) { count = Mutex(initial) }

    var value: Int64 { count.withLock { $0 } }

    func add(_ amount: Int64) { count.withLock { $0 += amount } }
}
