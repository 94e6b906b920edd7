import Foundation
public import NIOCore
import Synchronization
public import WharfContent

/// A storage driver on a local directory: the embedded default.
///
/// The directory layout is Distribution's filesystem driver's, so the same root can be
/// served by Wharf and by Distribution's `registry`. New files appear atomically (written
/// to a temporary sibling, fsynced, renamed, directory fsynced), so no partial file is ever
/// visible at its final path; append writers (upload staging) write in place, large writes
/// with direct I/O where the file system has it (see ``directIO``). Every system call runs
/// on NIO's blocking-I/O pool, never on an event loop.
public struct FileSystemDriver: StorageDriver {
    /// The directory all paths are relative to.
    public let rootDirectory: String

    /// Files with this prefix are in-flight atomic writes; listings never show them.
    static let temporaryPrefix = ".tmp-"

    /// Whether large appends (upload staging) bypass the page cache with direct I/O where
    /// the file system supports it. On (the default), an upload's bytes are written to the
    /// disk as they are hashed, so committing a large blob does not wait for one long
    /// flush; the blob is then read from the disk, not from memory, when first pulled.
    public let directIO: Bool

    /// Creates a driver on `rootDirectory`, creating the directory if needed; see
    /// ``directIO`` for `directIO`.
    public init(rootDirectory: String, directIO: Bool = true) throws {
        var root = rootDirectory
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.rootDirectory = root
        self.directIO = directIO
        do {
            try SystemCall.makeDirectories(root)
        } catch ContentError.io(let failure) {
            throw StorageError(failure, at: .root)
        }
    }

    /// `filesystem`.
    public var name: String { "filesystem" }

    func fullPath(_ path: StoragePath) -> String {
        path == .root ? rootDirectory : rootDirectory + path.rawValue
    }

    /// Reads a whole small file.
    public func getContent(_ path: StoragePath, limit: Int) async throws -> ByteBuffer {
        let info = try await stat(path)
        guard !info.isDirectory else {
            throw StorageError.wrongKind(path, reason: "is a directory, not a file")
        }
        guard info.size <= Int64(limit) else { throw StorageError.tooLarge(path, limit: limit) }
        do {
            return try await ByteStream(FileByteStream(path: fullPath(path))).collect(upTo: limit)
        } catch ContentError.tooLarge {
            throw StorageError.tooLarge(path, limit: limit)  // grew since the stat
        } catch {
            throw Self.storageError(error, at: path)
        }
    }

    /// Replaces a file atomically.
    public func putContent(_ path: StoragePath, _ content: ByteBuffer) async throws {
        do {
            try await AtomicFileWriter.write(ByteStream(content), to: fullPath(path))
        } catch {
            throw Self.storageError(error, at: path)
        }
    }

    /// Streams a file from `offset`.
    public func reader(_ path: StoragePath, offset: Int64) async throws -> ByteStream {
        let info = try await stat(path)
        guard !info.isDirectory else {
            throw StorageError.wrongKind(path, reason: "is a directory, not a file")
        }
        guard offset >= 0, offset <= info.size else { throw StorageError.invalidOffset(path, offset: offset) }
        return ByteStream(FileByteStream(path: fullPath(path), offset: offset)).mapError {
            Self.storageError($0, at: path)
        }
    }

    /// Opens a writer; see ``StorageDriver/writer(_:append:)``.
    public func writer(_ path: StoragePath, append: Bool) async throws -> any StorageFileWriter {
        if append {
            let full = fullPath(path)
            let (descriptor, size) = try await Self.run(path) {
                let descriptor = try SystemCall.openForAppending(full)
                let size = try SystemCall.status(full)?.size ?? 0
                return (descriptor, size)
            }
            return AppendingFileWriter(
                path: path, fullPath: full, descriptor: descriptor, initialSize: size, directIO: directIO)
        }
        do {
            return AtomicStorageFileWriter(
                path: path, writer: try await AtomicFileWriter(destination: fullPath(path)))
        } catch {
            throw Self.storageError(error, at: path)
        }
    }

    /// Information about a file or directory.
    public func stat(_ path: StoragePath) async throws -> StorageFileInfo {
        let full = fullPath(path)
        guard let status = try await Self.run(path, { try SystemCall.status(full) }) else {
            throw StorageError.notFound(path)
        }
        return StorageFileInfo(
            path: path, size: status.isDirectory ? 0 : status.size,
            modificationTime: Date(timeIntervalSince1970: status.modified), isDirectory: status.isDirectory)
    }

    /// The direct children of a directory, without in-flight temporary files.
    public func list(_ path: StoragePath) async throws -> [StoragePath] {
        let full = fullPath(path)
        let names: [String] = try await Self.run(path) {
            guard let status = try SystemCall.status(full) else { throw StorageError.notFound(path) }
            guard status.isDirectory else {
                throw StorageError.wrongKind(path, reason: "is a file, not a directory")
            }
            return try SystemCall.directoryEntries(full)
        }
        return try names.filter { !$0.hasPrefix(Self.temporaryPrefix) }.map { try path.appending($0) }
            .sorted()
    }

    /// Moves a file with `rename(2)`, creating the destination's parents.
    public func move(from source: StoragePath, to destination: StoragePath) async throws {
        let (from, to) = (fullPath(source), fullPath(destination))
        try await Self.run(destination) {
            guard let status = try SystemCall.status(from) else { throw StorageError.notFound(source) }
            guard !status.isDirectory else {
                throw StorageError.wrongKind(source, reason: "is a directory, not a file")
            }
            try SystemCall.makeDirectories(AtomicFileWriter.parent(of: to))
            do {
                try SystemCall.rename(from, to: to)
            } catch {
                // Moved away by someone else between the check and the rename.
                if try SystemCall.status(from) == nil { throw StorageError.notFound(source) }
                throw error
            }
            try SystemCall.fsyncDirectory(AtomicFileWriter.parent(of: to))
        }
    }

    /// Deletes a file or a directory tree.
    public func delete(_ path: StoragePath) async throws {
        guard path != .root else { throw StorageError.invalidPath("/", reason: "the root cannot be deleted") }
        let full = fullPath(path)
        try await Self.run(path) {
            guard try SystemCall.status(full) != nil else { throw StorageError.notFound(path) }
            // Entries deleted concurrently by someone else are the outcome the caller wanted.
            try SystemCall.removeTree(full)
        }
    }

    /// Runs file-system calls on the blocking-I/O pool, turning their failures into
    /// storage errors about `path`.
    static func run<T: Sendable>(
        _ path: StoragePath, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        do {
            return try await FileSystemThreadPool.run(body)
        } catch {
            throw storageError(error, at: path)
        }
    }

    /// The storage error an error of the file-system layer stands for: a failed system
    /// call by its error number; storage errors and cancellation as they are; anything
    /// else (the blocking-I/O pool shut down) as a backend failure.
    static func storageError(_ error: any Error, at path: StoragePath) -> any Error {
        switch error {
        case ContentError.io(let failure): StorageError(failure, at: path)
        case is StorageError, is CancellationError: error
        case let error as ContentError: StorageError.io(path, reason: "\(error)")
        default: StorageError.backend("file system: \(type(of: error))")
        }
    }

    /// Walks in ``StoragePath`` order.
    public func walk(
        _ path: StoragePath, startAfter: StoragePath?, visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws {
        try await listingWalk(path, startAfter: startAfter, visit: visit)
    }
}

/// A new file written through ``AtomicFileWriter``: invisible until commit.
final class AtomicStorageFileWriter: StorageFileWriter, Sendable {
    private let path: StoragePath
    private let writer: AtomicFileWriter
    private let written = ByteCounter()
    private let closed = Atomic(false)

    init(path: StoragePath, writer: AtomicFileWriter) {
        self.path = path
        self.writer = writer
    }

    var size: Int64 { written.value }

    func write(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            throw FileSystemDriver.storageError(error, at: path)
        }
        written.add(Int64(buffer.readableBytes))
    }

    func commit() async throws {
        guard !closed.exchange(true, ordering: .relaxed) else { throw StorageError.writerClosed(path) }
        do {
            try await writer.commit()
        } catch {
            throw FileSystemDriver.storageError(error, at: path)
        }
    }

    func cancel() async throws {
        closed.store(true, ordering: .relaxed)
        await writer.cancel()
    }
}
