public import NIOCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a file so that it becomes visible at its final path only when complete.
///
/// Bytes go to a uniquely named temporary file beside the destination; ``commit()`` fsyncs
/// it, renames it into place and fsyncs the directory, so a reader sees either no file or
/// the whole file, even across a crash. ``cancel()`` (or an error) removes the temporary.
/// All system calls run on NIO's blocking-I/O thread pool.
public final class AtomicFileWriter: Sendable {
    /// The path the file will have once committed.
    public let destination: String
    /// The temporary path bytes are written to.
    public let temporaryPath: String
    private let descriptor: Int32
    // Set once the descriptor has been handed to commit or cancel, so it is closed once.
    private let finished = Mutex(false)

    /// Creates the temporary file in `temporaryDirectory` (by default the destination's
    /// directory, which must be on the same file system for the rename to be atomic).
    public init(destination: String, temporaryDirectory: String? = nil) async throws {
        let directory = temporaryDirectory ?? Self.parent(of: destination)
        let name = ".tmp-\(UInt64.random(in: .min ... .max))-\(Self.baseName(of: destination))"
        let temporaryPath = "\(directory)/\(name)"
        self.destination = destination
        self.temporaryPath = temporaryPath
        self.descriptor = try await FileSystemThreadPool.run {
            try SystemCall.makeDirectories(directory)
            return try SystemCall.open(temporaryPath, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
        }
    }

    /// Appends the readable bytes of `buffer`.
    public func write(_ buffer: ByteBuffer) async throws {
        let descriptor = self.descriptor
        let path = temporaryPath
        try await FileSystemThreadPool.run {
            try buffer.withUnsafeReadableBytes { try SystemCall.writeAll(descriptor, $0, path: path) }
        }
    }

    /// Makes the file durable and visible at ``destination``, replacing whatever was there.
    public func commit() async throws {
        guard claimDescriptor() else {
            // The descriptor was already handed to an earlier commit or cancel.
            throw ContentError.io(FileIOError(operation: "commit", path: temporaryPath, errorNumber: EBADF))
        }
        let (descriptor, temporaryPath, destination) = (self.descriptor, self.temporaryPath, self.destination)
        try await FileSystemThreadPool.run {
            // The descriptor is closed whatever fsync says, so a failed commit leaks nothing.
            let synced = Result { try SystemCall.fsync(descriptor, path: temporaryPath) }
            SystemCall.closeDescriptor(descriptor)
            do {
                try synced.get()
                try SystemCall.makeDirectories(Self.parent(of: destination))
                try SystemCall.rename(temporaryPath, to: destination)
                try SystemCall.fsyncDirectory(Self.parent(of: destination))
            } catch {
                try? SystemCall.unlink(temporaryPath)
                throw error
            }
        }
    }

    /// Discards the temporary file.
    public func cancel() async {
        guard claimDescriptor() else { return }
        let (descriptor, temporaryPath) = (self.descriptor, self.temporaryPath)
        _ = try? await FileSystemThreadPool.run {
            SystemCall.closeDescriptor(descriptor)
            try? SystemCall.unlink(temporaryPath)
        }
    }

    /// Streams `content` into a new file at `destination`, verifying it against `digest`
    /// and `size` when given, and commits only if everything matched.
    public static func write(
        _ content: some AsyncSequence<ByteBuffer, any Error>, to destination: String,
        temporaryDirectory: String? = nil
    ) async throws {
        let writer = try await AtomicFileWriter(
            destination: destination, temporaryDirectory: temporaryDirectory)
        do {
            for try await chunk in content {
                try await writer.write(chunk)
            }
            try await writer.commit()
        } catch {
            await writer.cancel()
            throw error
        }
    }

    private func claimDescriptor() -> Bool {
        finished.withLock { done in
            defer { done = true }
            return !done
        }
    }

    package static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
