public import Logging
import WharfContent
public import WharfMetadata
public import WharfStorage

/// Reconstructs what storage can tell of a registry's history into a `MetadataStore`:
/// for a root another registry (CNCF Distribution) wrote, or after the database was lost.
///
/// Storage keeps, per manifest, when its revision link was written, and per tag, a link
/// for every manifest the tag named, with its time. From those a rebuild restores push
/// times (by nobody in particular) and each tag's history. Pull counts, pushers and the
/// audit log cannot be reconstructed. What the database already knows is kept: a manifest
/// with a record keeps it, a tag with history keeps it. Records of manifests that storage
/// no longer holds are removed. Running it twice changes nothing the second time.
public struct MetadataRebuilder: Sendable {
    /// The storage to read.
    public let store: RegistryStore
    /// The database to fill.
    public let metadata: any MetadataStore
    let logger: Logger

    /// Creates a rebuilder.
    public init(
        store: RegistryStore, metadata: any MetadataStore,
        logger: Logger = Logger(label: "wharf.metadata", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.store = store
        self.metadata = metadata
        self.logger = logger
    }

    /// Walks every repository and restores what is missing.
    @discardableResult
    public func run() async throws -> MetadataRebuildReport {
        var report = MetadataRebuildReport()
        let names = try await store.catalog()
        for name in names {
            try await rebuild(try store.repository(name), report: &report)
        }
        // Read again: a repository created during the rebuild is no stale one.
        let current = Set(try await store.catalog())
        for name in try await metadata.repositories() where !current.contains(name) {
            for record in try await metadata.manifests(in: name) {
                try await metadata.recordManifestDeletion(record.digest, in: name)
                report.recordsRemoved += 1
            }
        }
        logger.info(
            "metadata rebuilt",
            metadata: [
                "repositories": "\(report.repositories)", "manifests": "\(report.manifests)",
                "recordsCreated": "\(report.recordsCreated)", "tagChanges": "\(report.tagChanges)",
            ])
        return report
    }

    private func rebuild(_ repository: RegistryRepository, report: inout MetadataRebuildReport) async throws {
        report.repositories += 1
        // Records first, storage second: a manifest pushed in between is in storage by the
        // time it is recorded, so no record of a live manifest is taken for a stale one.
        let known = Dictionary(
            try await metadata.manifests(in: repository.name).map { ($0.digest, $0) },
            uniquingKeysWith: { first, _ in first })
        let inventory = try await repository.storedInventory()
        let stored = inventory.manifests
        report.manifests += stored.count
        for manifest in stored where known[manifest.digest]?.pushedAt == nil {
            try await metadata.recordPushIfUnknown(
                PushRecord(
                    repository: repository.name, digest: manifest.digest, mediaType: manifest.mediaType,
                    size: manifest.size, at: manifest.linkedAt))
            report.recordsCreated += 1
        }
        // An unreadable manifest is still there: its record stays.
        let present = Set(stored.map(\.digest)).union(inventory.unreadable)
        for digest in known.keys where !present.contains(digest) {
            try await metadata.recordManifestDeletion(digest, in: repository.name)
            report.recordsRemoved += 1
        }
        let recorded = Set(try await metadata.tagHistory(of: nil, in: repository.name).map(\.tag))
        let links = Dictionary(grouping: try await repository.storedTagLinks(), by: \.tag)
        for (tag, history) in links.sorted(by: { $0.key < $1.key }) where !recorded.contains(tag) {
            var previous: OCIDigest?
            for link in history where link.digest != previous {
                try await metadata.recordTagChange(
                    TagChange(
                        repository: repository.name, tag: tag, digest: link.digest, previousDigest: previous,
                        at: link.linkedAt))
                previous = link.digest
                report.tagChanges += 1
            }
            // A tag moved back to a manifest it named before ends on an older link.
            if let current = history.first(where: \.isCurrent), current.digest != previous {
                try await metadata.recordTagChange(
                    TagChange(
                        repository: repository.name, tag: tag, digest: current.digest,
                        previousDigest: previous,
                        at: history.map(\.linkedAt).max() ?? current.linkedAt))
                report.tagChanges += 1
            }
        }
    }
}
