import NIOCore
import Synchronization
import WharfContent

/// Appends to a file in place: the writer for upload staging, where bytes must survive a
/// restart and the upload's offset is simply the file's size.
///
/// Large writes go to the disk with direct I/O where the file system allows it (see
/// ``DirectAppend``), so that an upload's bytes reach the disk while the upload is still
/// being hashed rather than in one long flush at commit.
final class AppendingFileWriter: StorageFileWriter, Sendable {
    private let path: StoragePath
    private let fullPath: String
    private let descriptor: Int32
    private let state: Mutex<State>
    /// The size as seen from outside; `DirectAppend` tracks the same number under the
    /// state's lock, but that lock is held across system calls and `size` must not wait.
    private let written: ByteCounter

    private struct State {
        var direct: DirectAppend
        var closed = false
    }

    /// Wraps `descriptor`, opened for appending to `fullPath`, whose file has `initialSize`
    /// bytes; large writes use direct I/O when `directIO` is on and the file system has it.
    init(path: StoragePath, fullPath: String, descriptor: Int32, initialSize: Int64, directIO: Bool) {
        self.path = path
        self.fullPath = fullPath
        self.descriptor = descriptor
        let direct = DirectAppend(size: initialSize, enabled: directIO)
        self.state = Mutex(State(direct: direct))
        self.written = ByteCounter(initialSize)
    }

    deinit {
        // A writer dropped without commit or cancel still releases its descriptors.
        state.withLock { state in
            if !state.closed {
                state.direct.close()
                SystemCall.closeDescriptor(descriptor)
            }
        }
    }

    var size: Int64 { written.value }

    func write(_ buffer: ByteBuffer) async throws {
        try await FileSystemDriver.run(path) {
            // The lock is held across the system calls: appends to one file are sequential
            // anyway, and the bounce buffer of direct I/O serves one write at a time.
            try self.state.withLock { state in
                guard !state.closed else { throw StorageError.writerClosed(self.path) }
                try buffer.withUnsafeReadableBytes {
                    try state.direct.append($0, buffered: self.descriptor, path: self.fullPath)
                }
            }
        }
        written.add(Int64(buffer.readableBytes))
    }

    func commit() async throws {
        try await FileSystemDriver.run(path) {
            try self.state.withLock { state in
                guard !state.closed else { throw StorageError.writerClosed(self.path) }
                state.closed = true
                state.direct.close()
                defer { SystemCall.closeDescriptor(self.descriptor) }
                // Also flushes the device's write cache for what direct I/O wrote.
                try SystemCall.fsync(self.descriptor, path: self.fullPath)
            }
        }
    }

    func cancel() async throws {
        try await FileSystemDriver.run(path) {
            self.state.withLock { state in
                guard !state.closed else { return }
                state.closed = true
                state.direct.close()
                SystemCall.closeDescriptor(self.descriptor)
                try? SystemCall.unlink(self.fullPath)
            }
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
