import WharfStorage

/// A storage driver that keeps one tenant's registry below a prefix of a shared backend:
/// several registries, one bucket or disk. It maps paths and delegates; everything else a
/// registry needs (links, uploads, GC) `RegistryStore` builds on top.
public struct TenantDriver: StorageDriver {
    /// The shared backend.
    public let base: any StorageDriver
    /// Where this tenant's files live on it (`/tenants/acme`).
    public let prefix: StoragePath

    /// Creates a driver for the tenant below `prefix` of `base`.
    public init(base: any StorageDriver, prefix: StoragePath) {
        self.base = base
        self.prefix = prefix
    }

    /// The backend's name and the prefix.
    public var name: String { "\(base.name)\(prefix)" }

    private func outer(_ path: StoragePath) throws -> StoragePath {
        try prefix.appending(contentsOf: path.components)
    }

    private func inner(_ path: StoragePath) throws -> StoragePath {
        try StoragePath.root.appending(contentsOf: Array(path.components.dropFirst(prefix.components.count)))
    }

    /// Maps errors that name a backend path back to the tenant's path.
    private func mapped<T>(_ path: StoragePath, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch StorageError.notFound {
            throw StorageError.notFound(path)
        }
    }

    /// Reads a whole small file.
    public func getContent(_ path: StoragePath, limit: Int) async throws -> ByteBuffer {
        try await mapped(path) { try await base.getContent(outer(path), limit: limit) }
    }

    /// Replaces a file atomically.
    public func putContent(_ path: StoragePath, _ content: ByteBuffer) async throws {
        try await base.putContent(outer(path), content)
    }

    /// Streams a file from `offset`.
    public func reader(_ path: StoragePath, offset: Int64) async throws -> ByteStream {
        try await mapped(path) { try await base.reader(outer(path), offset: offset) }
    }

    /// Opens a writer.
    public func writer(_ path: StoragePath, append: Bool) async throws -> any StorageFileWriter {
        try await base.writer(outer(path), append: append)
    }

    /// Information about a file or directory, by the tenant's path.
    public func stat(_ path: StoragePath) async throws -> StorageFileInfo {
        var info = try await mapped(path) { try await base.stat(outer(path)) }
        info.path = path
        return info
    }

    /// The direct children of a directory.
    public func list(_ path: StoragePath) async throws -> [StoragePath] {
        try await mapped(path) { try await base.list(outer(path)).map(inner) }
    }

    /// Moves a file.
    public func move(from source: StoragePath, to destination: StoragePath) async throws {
        try await mapped(source) { try await base.move(from: outer(source), to: outer(destination)) }
    }

    /// Deletes a file or directory; the tenant's root is its prefix, which is never deleted.
    public func delete(_ path: StoragePath) async throws {
        guard path != .root else { throw StorageError.invalidPath("/", reason: "the root cannot be deleted") }
        try await mapped(path) { try await base.delete(outer(path)) }
    }

    /// Walks with the generic list-and-stat walk, in the tenant's paths.
    public func walk(
        _ path: StoragePath, startAfter: StoragePath?, visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws {
        try await listingWalk(path, startAfter: startAfter, visit: visit)
    }
}
