public import Foundation
public import NIOCore
public import WharfContent

/// What a driver reports about a path.
public struct StorageFileInfo: Sendable, Hashable {
    /// The path.
    public var path: StoragePath
    /// The size in bytes (0 for directories).
    public var size: Int64
    /// When the content last changed, by the storage's own clock.
    public var modificationTime: Date
    /// Whether the path is a directory.
    public var isDirectory: Bool

    /// Creates file information.
    public init(path: StoragePath, size: Int64, modificationTime: Date, isDirectory: Bool) {
        self.path = path
        self.size = size
        self.modificationTime = modificationTime
        self.isDirectory = isDirectory
    }
}

/// What a ``StorageDriver/walk(_:startAfter:visit:)`` callback wants next.
public enum WalkDecision: Sendable {
    /// Go on (into the directory, if the entry is one).
    case proceed
    /// Do not descend into this directory.
    case skipDirectory
    /// End the walk.
    case stop
}

/// Streams bytes into a file at a path; nothing is visible at the path until ``commit()``
/// unless the writer appends to existing content.
public protocol StorageFileWriter: Sendable {
    /// The number of bytes in the file so far, including appended-to content.
    var size: Int64 { get async }
    /// Writes the readable bytes of `buffer` at the end.
    func write(_ buffer: ByteBuffer) async throws
    /// Makes everything written durable and visible at the path.
    func commit() async throws
    /// Discards what this writer wrote (a new file disappears; appended bytes are dropped
    /// where the driver can, otherwise the file is removed).
    func cancel() async throws
}

/// A storage backend, in the spirit of CNCF Distribution's `storagedriver.StorageDriver`:
/// small enough that a new backend (S3, GCS, Azure) implements only this, and all registry
/// semantics live in ``RegistryStore`` above it.
///
/// Paths are ``StoragePath``s, so traversal is impossible by construction. Directories
/// are implicit: writing a file creates its parents, and a directory is listed as long as
/// something lies below it. `StorageDriverTestKit` (in `WharfStorageTestKit`) checks a driver against this contract.
public protocol StorageDriver: Sendable {
    /// A short name for logs (`filesystem`, `inmemory`, ...).
    var name: String { get }

    /// Reads a whole small file, failing with ``StorageError/tooLarge(_:limit:)`` past `limit`.
    func getContent(_ path: StoragePath, limit: Int) async throws -> ByteBuffer

    /// Replaces the file at `path` with `content`, atomically: readers see the old content
    /// or the new, never a mixture.
    func putContent(_ path: StoragePath, _ content: ByteBuffer) async throws

    /// Streams the file at `path` from `offset` to its end.
    func reader(_ path: StoragePath, offset: Int64) async throws -> ByteStream

    /// Opens a writer for `path`. With `append`, bytes go after the existing content (the
    /// file is created if missing) and are visible as they are written; without, a new file
    /// replaces the old only on ``StorageFileWriter/commit()``.
    func writer(_ path: StoragePath, append: Bool) async throws -> any StorageFileWriter

    /// Information about the file or directory at `path`.
    func stat(_ path: StoragePath) async throws -> StorageFileInfo

    /// The direct children of the directory at `path`, sorted.
    func list(_ path: StoragePath) async throws -> [StoragePath]

    /// Moves a file to `destination`, replacing what is there, atomically where the backend
    /// allows.
    func move(from source: StoragePath, to destination: StoragePath) async throws

    /// Deletes the file or directory (recursively) at `path`.
    func delete(_ path: StoragePath) async throws

    /// A URL a client may fetch the file from directly (a CDN or a presigned bucket URL),
    /// or `nil` when the driver serves bytes itself.
    func redirectURL(for path: StoragePath, method: String) async throws -> String?

    /// Visits every file and directory below `path` in ``StoragePath`` order (depth first,
    /// each directory before its contents). Entries at or before `startAfter`, and the
    /// contents of `startAfter` itself, are skipped unvisited: the hint that lets a
    /// paginated listing resume without reading what it already returned.
    func walk(
        _ path: StoragePath, startAfter: StoragePath?,
        visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws
}

extension StorageDriver {
    /// Drivers serve bytes themselves unless they say otherwise.
    public func redirectURL(for path: StoragePath, method: String) async throws -> String? { nil }

    /// Whether anything exists at `path`.
    public func exists(_ path: StoragePath) async throws -> Bool {
        do {
            _ = try await stat(path)
            return true
        } catch StorageError.notFound {
            return false
        }
    }

    /// Walks using ``list(_:)`` and ``stat(_:)``: correct for any driver, which may offer a
    /// faster native walk instead.
    public func listingWalk(
        _ path: StoragePath, startAfter: StoragePath?, visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws {
        _ = try await listingWalkStep(path, startAfter: startAfter, visit: visit)
    }

    private func listingWalkStep(
        _ path: StoragePath, startAfter hint: StoragePath?,
        visit: (StorageFileInfo) async throws -> WalkDecision, isWalkRoot: Bool = true
    ) async throws -> Bool {
        let children: [StoragePath]
        do {
            children = try await list(path)
        } catch StorageError.notFound where !isWalkRoot {
            return true  // a directory removed while walking has nothing left to visit
        }
        for child in children {
            var visitChild = true
            if let hint {
                if hint != child && hint.isWithin(child) {
                    visitChild = false  // an ancestor of the hint: descend without visiting
                } else if child <= hint {
                    continue  // at or before the hint, and so is everything below it
                }
            }
            let info: StorageFileInfo
            do {
                info = try await stat(child)
            } catch StorageError.notFound {
                continue  // removed while walking
            }
            if visitChild {
                switch try await visit(info) {
                case .stop: return false
                case .skipDirectory: continue
                case .proceed: break
                }
            }
            if info.isDirectory {
                guard try await listingWalkStep(child, startAfter: hint, visit: visit, isWalkRoot: false)
                else {
                    return false
                }
            }
        }
        return true
    }
}
