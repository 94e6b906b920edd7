import Foundation
public import NIOCore
public import WharfContent

/// A storage driver in memory, for tests and for embedding a registry that needs no disk.
///
/// Directories are implicit, as in object stores: a directory exists while a file lies
/// below it.
public actor InMemoryDriver: StorageDriver {
    private struct File {
        var bytes: ByteBuffer
        var modified: Date
    }

    private var files: [StoragePath: File] = [:]

    /// Creates an empty driver.
    public init() {}

    /// `inmemory`.
    public nonisolated var name: String { "inmemory" }

    /// Reads a whole small file.
    public func getContent(_ path: StoragePath, limit: Int) throws -> ByteBuffer {
        let file = try requireFile(path)
        guard file.bytes.readableBytes <= limit else { throw StorageError.tooLarge(path, limit: limit) }
        return file.bytes
    }

    /// Replaces a file's content.
    public func putContent(_ path: StoragePath, _ content: ByteBuffer) throws {
        try requireNotDirectory(path)
        files[path] = File(bytes: content, modified: Date())
    }

    /// Streams a file from `offset`.
    public func reader(_ path: StoragePath, offset: Int64) throws -> ByteStream {
        let file = try requireFile(path)
        guard offset >= 0, offset <= Int64(file.bytes.readableBytes) else {
            throw StorageError.invalidOffset(path, offset: offset)
        }
        return ByteStream(
            file.bytes.getSlice(
                at: file.bytes.readerIndex + Int(offset), length: file.bytes.readableBytes - Int(offset))
                ?? ByteBuffer())
    }

    /// Opens a writer; see ``StorageDriver/writer(_:append:)``.
    public func writer(_ path: StoragePath, append: Bool) throws -> any StorageFileWriter {
        try requireNotDirectory(path)
        if append {
            if files[path] == nil { files[path] = File(bytes: ByteBuffer(), modified: Date()) }
            return InMemoryFileWriter(
                driver: self, path: path, appending: true,
                initialSize: Int64(files[path]?.bytes.readableBytes ?? 0))
        }
        return InMemoryFileWriter(driver: self, path: path, appending: false, initialSize: 0)
    }

    /// Information about a file or implicit directory.
    public func stat(_ path: StoragePath) throws -> StorageFileInfo {
        if let file = files[path] {
            return StorageFileInfo(
                path: path, size: Int64(file.bytes.readableBytes), modificationTime: file.modified,
                isDirectory: false)
        }
        let below = files.filter { $0.key != path && $0.key.isWithin(path) }
        guard let newest = below.values.map(\.modified).max() else { throw StorageError.notFound(path) }
        return StorageFileInfo(path: path, size: 0, modificationTime: newest, isDirectory: true)
    }

    /// The direct children of a directory.
    public func list(_ path: StoragePath) throws -> [StoragePath] {
        if files[path] != nil { throw StorageError.wrongKind(path, reason: "is a file, not a directory") }
        let depth = path.components.count
        var children = Set<StoragePath>()
        for key in files.keys where key != path && key.isWithin(path) {
            let name = key.components[depth]
            if let child = try? path.appending(name) { children.insert(child) }
        }
        guard !children.isEmpty || path == .root else { throw StorageError.notFound(path) }
        return children.sorted()
    }

    /// Moves a file.
    public func move(from source: StoragePath, to destination: StoragePath) throws {
        let file = try requireFile(source)
        try requireNotDirectory(destination)
        files[source] = nil
        files[destination] = file
    }

    /// Deletes a file or a directory and everything below it.
    public func delete(_ path: StoragePath) throws {
        let doomed = files.keys.filter { $0.isWithin(path) }
        guard !doomed.isEmpty else { throw StorageError.notFound(path) }
        for key in doomed { files[key] = nil }
    }

    /// Walks in ``StoragePath`` order.
    public nonisolated func walk(
        _ path: StoragePath, startAfter: StoragePath?, visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws {
        try await listingWalk(path, startAfter: startAfter, visit: visit)
    }

    // MARK: Writer support

    func appendBytes(_ buffer: ByteBuffer, to path: StoragePath) throws {
        guard var file = files[path] else { throw StorageError.notFound(path) }
        var buffer = buffer
        file.bytes.writeBuffer(&buffer)
        file.modified = Date()
        files[path] = file
    }

    func install(_ bytes: ByteBuffer, at path: StoragePath) throws {
        try requireNotDirectory(path)
        files[path] = File(bytes: bytes, modified: Date())
    }

    func remove(_ path: StoragePath) {
        files[path] = nil
    }

    private func requireFile(_ path: StoragePath) throws -> File {
        if let file = files[path] { return file }
        if files.keys.contains(where: { $0.isWithin(path) }) {
            throw StorageError.wrongKind(path, reason: "is a directory, not a file")
        }
        throw StorageError.notFound(path)
    }

    private func requireNotDirectory(_ path: StoragePath) throws {
        if files.keys.contains(where: { $0 != path && $0.isWithin(path) }) {
            throw StorageError.wrongKind(path, reason: "is a directory, not a file")
        }
        // A file cannot sit below another file.
        var ancestor = path.parent
        while ancestor != .root {
            if files[ancestor] != nil {
                throw StorageError.wrongKind(ancestor, reason: "is a file, not a directory")
            }
            ancestor = ancestor.parent
        }
    }
}

/// A writer into an ``InMemoryDriver``: appends go straight into the file; a new file is
/// buffered and installed on commit.
actor InMemoryFileWriter: StorageFileWriter {
    private let driver: InMemoryDriver
    private let path: StoragePath
    private let appending: Bool
    private var pending = ByteBuffer()
    private var written: Int64
    private var closed = false

    init(driver: InMemoryDriver, path: StoragePath, appending: Bool, initialSize: Int64) {
        self.driver = driver
        self.path = path
        self.appending = appending
        self.written = initialSize
    }

    var size: Int64 { written }

    func write(_ buffer: ByteBuffer) async throws {
        guard !closed else { throw StorageError.writerClosed(path) }
        written += Int64(buffer.readableBytes)
        if appending {
            try await driver.appendBytes(buffer, to: path)
        } else {
            var buffer = buffer
            pending.writeBuffer(&buffer)
        }
    }

    func commit() async throws {
        guard !closed else { throw StorageError.writerClosed(path) }
        closed = true
        if !appending { try await driver.install(pending, at: path) }
    }

    func cancel() async throws {
        guard !closed else { return }
        closed = true
        if appending { await driver.remove(path) }
    }
}
