public import Foundation
public import Logging
import NIOCore
import WharfContent
import WharfImage

/// Options of a ``RegistryStore``.
public struct RegistryStoreOptions: Sendable {
    /// The largest manifest accepted, 4 MiB by default as in Distribution.
    public var manifestSizeLimit: Int
    /// Storage limits; `nil` for none.
    public var quotas: QuotaPolicy?
    /// Where the store and its garbage collector log what they do (commits and purges at
    /// `debug`, collections at `info`); by default nowhere.
    public var logger: Logger
    /// Tags that may not be moved or deleted once they exist; none by default.
    public var immutableTags = TagImmutability.none

    /// Creates options.
    public init(
        manifestSizeLimit: Int = 4 << 20, quotas: QuotaPolicy? = nil,
        logger: Logger = Logger(label: "wharf.storage", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.manifestSizeLimit = manifestSizeLimit
        self.quotas = quotas
        self.logger = logger
    }
}

/// Registry semantics over any ``StorageDriver``: repositories, content-addressed and
/// deduplicated blobs, resumable uploads, manifests, tags, referrers and the catalog, in
/// Distribution's on-disk layout (Docs/architecture.md, "Server storage").
///
/// The store keeps no state that matters in memory: several processes may serve one
/// storage root, and a restarted process continues where another stopped. The only cache
/// is of upload hash states, which merely saves re-reading a staged upload.
public final class RegistryStore: Sendable {
    /// The storage backend. Not public: what lies on the driver is the store's business,
    /// and writing there behind its back would break its invariants (claims, links).
    package let driver: any StorageDriver
    /// The options.
    public let options: RegistryStoreOptions
    let uploadHashes = UploadHashCache()
    let quotaLedger = QuotaLedger()
    let repositoryLocks = RepositoryLocks()

    /// Creates a store over `driver`.
    public init(driver: any StorageDriver, options: RegistryStoreOptions = RegistryStoreOptions()) {
        self.driver = driver
        self.options = options
    }

    /// The repository called `name`, which is validated by the distribution grammar (it
    /// need not exist yet: it comes into being with its first push).
    public func repository(_ name: String) throws(RegistryStoreError) -> RegistryRepository {
        do {
            try ImageReference.validateRepository(name)
        } catch {
            throw .nameInvalid(name, reason: "\(error)")
        }
        return RegistryRepository(store: self, name: name)
    }

    /// Repository names in order, at most `limit` of them, starting after `last`: the
    /// `_catalog` listing. A repository is listed once it holds a manifest.
    public func catalog(limit: Int? = nil, after last: String? = nil) async throws -> [String] {
        try await storeBoundary {
            if limit == 0 { return [] }
            var names: [String] = []
            let root = RegistryLayout.repositories
            let hint = last.flatMap { try? RegistryLayout.repository($0) }
            guard try await driver.exists(root) else { return [] }
            try await driver.walk(root, startAfter: hint) { info in
                guard info.isDirectory else { return .proceed }
                let component = info.path.lastComponent
                if component == "_manifests" {
                    let name = info.path.parent.components.dropFirst(root.components.count).joined(
                        separator: "/")
                    if last.map({ Self.precedes($0, name) }) ?? true { names.append(name) }
                    if let limit, names.count >= limit { return .stop }
                    return .skipDirectory
                }
                return component.hasPrefix("_") ? .skipDirectory : .proceed
            }
            return names
        }
    }

    /// Orders repository names path component by path component, as the catalog walk
    /// meets them (`a/b` before `a-b`).
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.split(separator: "/").lexicographicallyPrecedes(rhs.split(separator: "/"))
    }

    /// Removes upload sessions that started more than `age` ago (by their `startedat`, or
    /// for sessions without one, by the staging directory's modification time), as
    /// Distribution's upload purger does, except that a session whose data was written
    /// within `age` is in use and stays (Distribution purges those too). Returns how many
    /// were removed.
    @discardableResult
    public func purgeUploads(olderThan age: Duration, now: Date = Date()) async throws -> Int {
        try await storeBoundary {
            let cutoff = now.addingTimeInterval(-age.timeInterval)
            let root = RegistryLayout.repositories
            guard try await driver.exists(root) else { return 0 }
            var stale: [StoragePath] = []
            try await driver.walk(root, startAfter: nil) { info in
                guard info.isDirectory else { return .proceed }
                let component = info.path.lastComponent
                guard component == "_uploads" else {
                    return component.hasPrefix("_") ? .skipDirectory : .proceed
                }
                for upload in try await driver.list(info.path) {
                    let started: Date
                    if let text = try? await driver.getContent(upload.appending("startedat"), limit: 256),
                        let date = RegistryRepository.parseTimestamp(String(buffer: text))
                    {
                        started = date
                    } else {
                        started = try await driver.statIfPresent(upload)?.modificationTime ?? now
                    }
                    guard started < cutoff else { continue }
                    let written = try await driver.statIfPresent(upload.appending("data"))?.modificationTime
                    if (written ?? started) < cutoff { stale.append(upload) }
                }
                return .skipDirectory
            }
            for upload in stale { try await driver.deleteIfPresent(upload) }
            if !stale.isEmpty {
                options.logger.debug("purged abandoned uploads", metadata: ["count": "\(stale.count)"])
            }
            return stale.count
        }
    }

    // MARK: Blob store

    /// The size of a stored blob, or `nil` when the blob store lacks it.
    func blobSize(_ digest: OCIDigest) async throws -> Int64? {
        try await driver.statIfPresent(RegistryLayout.blobData(digest))?.size
    }

    /// Records that `digest` is about to be linked, so that a concurrent garbage
    /// collection keeps it (see ``GarbageCollector``).
    func claim(_ digest: OCIDigest) async throws {
        try await driver.putContent(
            RegistryLayout.claim(digest), ByteBuffer(string: RegistryRepository.timestamp(Date())))
    }

    /// Whether the blob's data is present, restoring it if a garbage collection had just
    /// moved it aside before seeing a claim.
    func ensureBlobPresent(_ digest: OCIDigest) async throws -> Bool {
        let data = try RegistryLayout.blobData(digest)
        if try await driver.exists(data) { return true }
        do {
            try await driver.move(from: GarbageCollector.trashPath(digest), to: data)
        } catch StorageError.notFound {
        }
        return try await driver.exists(data)
    }

    /// Streams a stored blob, verifying size and digest, or a range of it, checking size.
    func readBlob(
        _ digest: OCIDigest, range: Range<Int64>? = nil
    ) async throws -> (size: Int64, content: ByteStream) {
        let path = try RegistryLayout.blobData(digest)
        guard let size = try await driver.statIfPresent(path)?.size else {
            throw RegistryStoreError.blobUnknown(digest)
        }
        return (size, try await openBlob(digest, size: size, range: range))
    }

    /// Streams a stored blob of known `size` (one driver call): verified whole, or a range
    /// of it with its size checked.
    func openBlob(_ digest: OCIDigest, size: Int64, range: Range<Int64>?) async throws -> ByteStream {
        do {
            return try await openBlob(
                try RegistryLayout.blobData(digest), digest: digest, size: size, range: range)
        } catch StorageError.notFound {
            throw RegistryStoreError.blobUnknown(digest)  // deleted since its size was read
        }
    }

    private func openBlob(
        _ path: StoragePath, digest: OCIDigest, size: Int64, range: Range<Int64>?
    ) async throws -> ByteStream {
        guard let range else {
            let verified = try await driver.reader(path, offset: 0).verified(digest: digest, size: size)
            return ByteStream(verified).mapError { Self.readError($0, digest: digest) }
        }
        guard range.lowerBound >= 0, range.upperBound <= size, !range.isEmpty else {
            throw RegistryStoreError.blobUploadInvalid("range \(range) outside blob of \(size) bytes")
        }
        let stream = try await driver.reader(path, offset: range.lowerBound)
        return stream.limited(to: Int64(range.count)).mapError { Self.readError($0, digest: digest) }
    }

    /// What a failure while streaming a stored blob is, in the store's terms: bytes that do
    /// not match their digest or size are corrupted storage; a failing driver is a
    /// storage failure.
    static func readError(_ error: any Error, digest: OCIDigest) -> any Error {
        switch error {
        case let error as ContentError: RegistryStoreError.blobCorrupted(digest, reason: "\(error)")
        case let error as StorageError: RegistryStoreError.storage(error)
        default: error
        }
    }
}
