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
    /// The names directly below each directory that holds anything, so that listings and
    /// kind checks cost the size of a directory, not of the whole store.
    private var children: [StoragePath: Set<String>] = [:]
    /// The newest modification below each directory, kept as files are written, so that a
    /// directory's stat costs no walk. After deletions it may name a file no longer there.
    private var newestBelow: [StoragePath: Date] = [:]

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
        store(File(bytes: content, modified: Date()), at: path)
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
            if files[path] == nil { store(File(bytes: ByteBuffer(), modified: Date()), at: path) }
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
        guard !(children[path]?.isEmpty ?? true) else { throw StorageError.notFound(path) }
        return StorageFileInfo(
            path: path, size: 0, modificationTime: newestBelow[path] ?? .distantPast, isDirectory: true)
    }

    /// The direct children of a directory.
    public func list(_ path: StoragePath) throws -> [StoragePath] {
        if files[path] != nil { throw StorageError.wrongKind(path, reason: "is a file, not a directory") }
        let names = children[path] ?? []
        guard !names.isEmpty || path == .root else { throw StorageError.notFound(path) }
        // Siblings order by their last component alone.
        return names.sorted().compactMap { try? path.appending($0) }
    }

    /// Moves a file.
    public func move(from source: StoragePath, to destination: StoragePath) throws {
        let file = try requireFile(source)
        try requireNotDirectory(destination)
        discard(source)
        store(file, at: destination)
    }

    /// Deletes a file or a directory and everything below it.
    public func delete(_ path: StoragePath) throws {
        var doomed: [StoragePath] = []
        var pending = [path]
        while let next = pending.popLast() {
            if files[next] != nil { doomed.append(next) }
            for name in children[next] ?? [] {
                if let child = try? next.appending(name) { pending.append(child) }
            }
        }
        guard !doomed.isEmpty else { throw StorageError.notFound(path) }
        for key in doomed { discard(key) }
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
        noteModified(path, at: file.modified)
    }

    /// Dates every ancestor of `path` at least `date`.
    private func noteModified(_ path: StoragePath, at date: Date) {
        var directory = path
        while directory != .root {
            directory = directory.parent
            if let newest = newestBelow[directory], newest >= date { break }  // so are those above
            newestBelow[directory] = date
        }
    }

    func install(_ bytes: ByteBuffer, at path: StoragePath) throws {
        try requireNotDirectory(path)
        store(File(bytes: bytes, modified: Date()), at: path)
    }

    func remove(_ path: StoragePath) {
        discard(path)
    }

    /// Stores a file and enters it in its ancestors' listings.
    private func store(_ file: File, at path: StoragePath) {
        let isNew = files.updateValue(file, forKey: path) == nil
        noteModified(path, at: file.modified)
        guard isNew else { return }
        var child = path
        while child != .root {
            let parent = child.parent
            let inserted = children[parent, default: []].insert(child.lastComponent).inserted
            if !inserted { break }  // the ancestors above already list it
            child = parent
        }
    }

    /// Removes a file, and directories left empty from their parents' listings.
    private func discard(_ path: StoragePath) {
        guard files.removeValue(forKey: path) != nil else { return }
        var child = path
        while child != .root {
            guard files[child] == nil, children[child]?.isEmpty ?? true else { break }
            children[child] = nil
            newestBelow[child] = nil
            let parent = child.parent
            children[parent]?.remove(child.lastComponent)
            child = parent
        }
    }

    private func requireFile(_ path: StoragePath) throws -> File {
        if let file = files[path] { return file }
        if !(children[path]?.isEmpty ?? true) {
            throw StorageError.wrongKind(path, reason: "is a directory, not a file")
        }
        throw StorageError.notFound(path)
    }

    private func requireNotDirectory(_ path: StoragePath) throws {
        if !(children[path]?.isEmpty ?? true) {
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
