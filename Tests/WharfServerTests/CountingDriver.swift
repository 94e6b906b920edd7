import Foundation
import NIOCore
import Synchronization
import WharfContent
import WharfStorage

/// A driver that counts the calls made through it, by operation: what an S3 deployment
/// pays per request, as requests or round trips.
final class CountingDriver: StorageDriver {
    private let base: any StorageDriver
    private let counts = Mutex<[String: Int]>([:])

    init(_ base: any StorageDriver) { self.base = base }

    /// The counts since the last reset, by operation, and resets them.
    func take() -> [String: Int] {
        counts.withLock { counts in
            defer { counts = [:] }
            return counts
        }
    }

    private func count(_ operation: String) {
        counts.withLock { $0[operation, default: 0] += 1 }
    }

    var name: String { base.name }

    func getContent(_ path: StoragePath, limit: Int) async throws -> ByteBuffer {
        count("getContent")
        return try await base.getContent(path, limit: limit)
    }

    func putContent(_ path: StoragePath, _ content: ByteBuffer) async throws {
        count("putContent")
        try await base.putContent(path, content)
    }

    func reader(_ path: StoragePath, offset: Int64) async throws -> ByteStream {
        count("reader")
        return try await base.reader(path, offset: offset)
    }

    func writer(_ path: StoragePath, append: Bool) async throws -> any StorageFileWriter {
        count("writer")
        return try await base.writer(path, append: append)
    }

    func stat(_ path: StoragePath) async throws -> StorageFileInfo {
        count("stat")
        return try await base.stat(path)
    }

    func list(_ path: StoragePath) async throws -> [StoragePath] {
        count("list")
        return try await base.list(path)
    }

    func move(from source: StoragePath, to destination: StoragePath) async throws {
        count("move")
        try await base.move(from: source, to: destination)
    }

    func delete(_ path: StoragePath) async throws {
        count("delete")
        try await base.delete(path)
    }

    func walk(
        _ path: StoragePath, startAfter: StoragePath?, visit: (StorageFileInfo) async throws -> WalkDecision
    ) async throws {
        count("walk")
        try await base.walk(path, startAfter: startAfter, visit: visit)
    }
}
