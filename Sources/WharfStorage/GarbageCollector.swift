import Foundation
import NIOCore
public import WharfContent
import WharfImage

/// Options of a garbage collection run.
public struct GarbageCollectionOptions: Sendable {
    /// Report what would be deleted without deleting anything.
    public var dryRun: Bool
    /// Also delete manifests that no tag reaches (never those a tagged index references,
    /// nor referrers of kept manifests).
    public var deleteUntagged: Bool
    /// Content written, linked or claimed more recently than this before the run started is
    /// never deleted: the window that keeps in-flight pushes safe.
    public var grace: Duration

    /// Creates options; by default a real run with a one-hour grace window that keeps
    /// untagged manifests, like Distribution's `garbage-collect` without flags.
    public init(dryRun: Bool = false, deleteUntagged: Bool = false, grace: Duration = .seconds(3600)) {
        self.dryRun = dryRun
        self.deleteUntagged = deleteUntagged
        self.grace = grace
    }
}

/// What a garbage collection run deleted (or, in a dry run, would delete).
public struct GarbageCollectionReport: Sendable, Hashable {
    /// A manifest revision removed from a repository.
    public struct ManifestDeletion: Sendable, Hashable {
        /// The repository.
        public var repository: String
        /// The manifest's digest.
        public var digest: OCIDigest

        /// Creates a record of a deletion.
        public init(repository: String, digest: OCIDigest) {
            self.repository = repository
            self.digest = digest
        }
    }

    /// Blobs removed from the blob store.
    public var deletedBlobs: [OCIDigest] = []
    /// Untagged manifests removed from repositories.
    public var deletedManifests: [ManifestDeletion] = []
    /// The bytes the deleted blobs occupied.
    public var bytesFreed: Int64 = 0
    /// Blobs kept because a manifest references them.
    public var referencedBlobs: Int = 0
    /// Unreferenced blobs kept because they are inside the grace window or claimed.
    public var recentBlobsKept: Int = 0
}

/// Mark-and-sweep garbage collection over every repository of a ``RegistryStore``, safe
/// while the registry serves pushes, from this process or others.
///
/// Coordination goes through storage only. Every operation that makes a repository
/// reference a blob first writes a claim (`/wharf/claims/<alg>/<hex>`), then links, then
/// checks the blob is still there. The sweep skips blobs whose data or claim is newer than
/// the run's start minus the grace window, and deletes a blob in two steps: it moves the
/// data aside, looks at the claim once more, and either restores the data or deletes it. A
/// pusher that finds its blob moved aside restores it itself. So a push racing the sweep
/// either keeps its blob or fails cleanly with "blob unknown"; it never leaves a link to
/// missing data behind.
public struct GarbageCollector: Sendable {
    /// The store to collect.
    public let store: RegistryStore

    /// Creates a collector for `store`.
    public init(store: RegistryStore) {
        self.store = store
    }

    var driver: any StorageDriver { store.driver }

    static func trashPath(_ digest: OCIDigest) throws -> StoragePath {
        try RegistryLayout.wharf.appending("gc", "trash", digest.algorithm.rawValue, digest.encoded)
    }

    /// Runs one collection.
    public func run(
        _ options: GarbageCollectionOptions = GarbageCollectionOptions()
    ) async throws
        -> GarbageCollectionReport
    {
        do {
            let report = try await collect(options)
            // Links and blobs went away behind the quota ledger's back: it reads usage anew.
            if !options.dryRun { await store.quotaLedger.invalidate() }
            return report
        } catch {
            if !options.dryRun { await store.quotaLedger.invalidate() }  // a part-way run changed storage too
            throw error
        }
    }

    private func collect(_ options: GarbageCollectionOptions) async throws -> GarbageCollectionReport {
        try await storeBoundary {
            let runFile = try RegistryLayout.wharf.appending("gc", "runs", UUID().uuidString.lowercased())
            try await driver.putContent(runFile, ByteBuffer(string: RegistryRepository.timestamp(Date())))
            defer { Task { [driver] in try? await driver.deleteIfPresent(runFile) } }
            // The storage's own clock dates the run, as it dates every file compared against it.
            let started = try await driver.stat(runFile).modificationTime
            let cutoff = started.addingTimeInterval(-options.grace.timeInterval)

            let logger = store.options.logger
            logger.info(
                "garbage collection started",
                metadata: [
                    "dryRun": "\(options.dryRun)", "grace": "\(options.grace)",
                    "deleteUntagged": "\(options.deleteUntagged)",
                ])
            var report = GarbageCollectionReport()
            var marked = Set<OCIDigest>()
            var layerLinks: [String: Set<OCIDigest>] = [:]
            for name in try await store.catalog() + (try await repositoriesWithoutManifests()) {
                let repository = try store.repository(name)
                let outcome = try await mark(repository, options: options, cutoff: cutoff)
                marked.formUnion(outcome.marked)
                layerLinks[name] = try await linkedBlobs(repository)
                for digest in outcome.untagged {
                    guard try await !isRecent(manifest: digest, in: repository, cutoff: cutoff) else {
                        marked.formUnion(try await closure(of: [digest], in: repository))
                        continue
                    }
                    report.deletedManifests.append(.init(repository: name, digest: digest))
                    if !options.dryRun { try await repository.deleteManifest(digest) }
                }
            }
            report.referencedBlobs = marked.count

            let deleted = try await sweepBlobs(
                keeping: marked, cutoff: cutoff, dryRun: options.dryRun, report: &report)
            if !options.dryRun {
                try await removeDanglingLinks(layerLinks, deleted: deleted, cutoff: cutoff)
                try await pruneClaims(olderThan: cutoff)
            }
            logger.info(
                "garbage collection finished",
                metadata: [
                    "dryRun": "\(options.dryRun)", "referencedBlobs": "\(report.referencedBlobs)",
                    "deletedBlobs": "\(report.deletedBlobs.count)",
                    "deletedManifests": "\(report.deletedManifests.count)",
                    "bytesFreed": "\(report.bytesFreed)",
                ])
            return report
        }
    }

    // MARK: Mark

    private struct MarkOutcome {
        var marked: Set<OCIDigest>
        var untagged: [OCIDigest]
    }

    private func mark(
        _ repository: RegistryRepository, options: GarbageCollectionOptions, cutoff: Date
    ) async throws
        -> MarkOutcome
    {
        let revisions = try await revisionDigests(repository)
        guard options.deleteUntagged else {
            return MarkOutcome(marked: try await closure(of: revisions, in: repository), untagged: [])
        }
        var roots = Set<OCIDigest>()
        for tag in try await repository.tags() {
            if let digest = try await repository.tagTarget(tag) { roots.insert(digest) }
        }
        for digest in revisions where try await isRecent(manifest: digest, in: repository, cutoff: cutoff) {
            roots.insert(digest)
        }
        let kept = try await closure(of: Array(roots), in: repository)
        return MarkOutcome(marked: kept, untagged: revisions.filter { !kept.contains($0) })
    }

    /// Everything reachable from `roots`: child manifests of indexes, configs and layers,
    /// and the referrers of every reached manifest.
    private func closure(
        of roots: [OCIDigest], in repository: RegistryRepository
    ) async throws -> Set<OCIDigest> {
        var reached = Set<OCIDigest>()
        var pending = roots
        while let digest = pending.popLast() {
            guard reached.insert(digest).inserted else { continue }
            guard let content = try? await repository.manifestContent(digest) else { continue }
            let edges = try ContentGraph.edges(of: content.descriptor, content: content.bytes)
            for child in edges.children {
                if child.mediaType.isManifest {
                    pending.append(child.digest)
                } else {
                    reached.insert(child.digest)
                }
            }
            for referrer in try await repository.referrers(of: digest) { pending.append(referrer.digest) }
        }
        return reached
    }

    private func isRecent(
        manifest digest: OCIDigest, in repository: RegistryRepository, cutoff: Date
    ) async throws -> Bool {
        if let link = try await driver.statIfPresent(RegistryLayout.revisionLink(repository.name, digest)),
            link.modificationTime >= cutoff
        {
            return true
        }
        return try await isClaimed(digest, since: cutoff)
    }

    private func isClaimed(_ digest: OCIDigest, since cutoff: Date) async throws -> Bool {
        guard let claim = try await driver.statIfPresent(RegistryLayout.claim(digest)) else { return false }
        return claim.modificationTime >= cutoff
    }

    private func revisionDigests(_ repository: RegistryRepository) async throws -> [OCIDigest] {
        Array(try await store.linkedDigests(under: RegistryLayout.revisions(repository.name)))
    }

    private func linkedBlobs(_ repository: RegistryRepository) async throws -> Set<OCIDigest> {
        try await store.linkedDigests(under: RegistryLayout.repository(repository.name).appending("_layers"))
    }

    /// Repositories that hold layer links but no manifest yet: they mark nothing, but their
    /// links to swept blobs must be cleaned up.
    private func repositoriesWithoutManifests() async throws -> [String] {
        var names: [String] = []
        let root = RegistryLayout.repositories
        guard try await driver.exists(root) else { return [] }
        try await driver.walk(root, startAfter: nil) { info in
            guard info.isDirectory else { return .proceed }
            let component = info.path.lastComponent
            if component == "_layers" {
                let repositoryPath = info.path.parent
                if !(try await driver.exists(repositoryPath.appending("_manifests"))) {
                    names.append(
                        repositoryPath.components.dropFirst(root.components.count).joined(separator: "/"))
                }
                return .skipDirectory
            }
            return component.hasPrefix("_") ? .skipDirectory : .proceed
        }
        return names
    }

    // MARK: Sweep

    private func sweepBlobs(
        keeping marked: Set<OCIDigest>, cutoff: Date, dryRun: Bool, report: inout GarbageCollectionReport
    )
        async throws -> Set<OCIDigest>
    {
        var deleted = Set<OCIDigest>()
        var candidates: [(OCIDigest, StorageFileInfo)] = []
        guard try await driver.exists(RegistryLayout.blobs) else { return deleted }
        try await driver.walk(RegistryLayout.blobs, startAfter: nil) { info in
            guard !info.isDirectory, info.path.lastComponent == "data" else { return .proceed }
            let components = info.path.components
            guard components.count >= 4,
                let algorithm = DigestAlgorithm(rawValue: components[components.count - 4]),
                let digest = try? OCIDigest(algorithm: algorithm, encoded: components[components.count - 2])
            else { return .proceed }
            if !marked.contains(digest) { candidates.append((digest, info)) }
            return .proceed
        }
        for (digest, info) in candidates {
            let claimed = try await isClaimed(digest, since: cutoff)
            if info.modificationTime >= cutoff || claimed {
                report.recentBlobsKept += 1
                continue
            }
            if dryRun {
                report.deletedBlobs.append(digest)
                report.bytesFreed += info.size
                continue
            }
            let trash = try Self.trashPath(digest)
            do {
                try await driver.move(from: info.path, to: trash)
            } catch StorageError.notFound {
                continue  // someone else collected it
            }
            if try await isClaimed(digest, since: cutoff) {
                // Claimed while we moved it: put it back unless the claimant already did.
                do { try await driver.move(from: trash, to: info.path) } catch StorageError.notFound {}
                report.recentBlobsKept += 1
                continue
            }
            try await driver.deleteIfPresent(trash)
            try await driver.deleteIfPresent(info.path.parent)
            deleted.insert(digest)
            report.deletedBlobs.append(digest)
            report.bytesFreed += info.size
        }
        return deleted
    }

    private func removeDanglingLinks(
        _ links: [String: Set<OCIDigest>], deleted: Set<OCIDigest>, cutoff: Date
    ) async throws {
        for (name, digests) in links {
            for digest in digests.intersection(deleted) where !(try await isClaimed(digest, since: cutoff)) {
                try await driver.deleteIfPresent(RegistryLayout.layerLink(name, digest).parent)
            }
        }
    }

    private func pruneClaims(olderThan cutoff: Date) async throws {
        let claims = try RegistryLayout.wharf.appending("claims")
        guard try await driver.exists(claims) else { return }
        var stale: [StoragePath] = []
        try await driver.walk(claims, startAfter: nil) { info in
            if !info.isDirectory && info.modificationTime < cutoff { stale.append(info.path) }
            return .proceed
        }
        for path in stale { try await driver.deleteIfPresent(path) }
    }
}

extension Duration {
    /// The duration in seconds, as `TimeInterval`.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
