public import Foundation
public import Logging
import WharfContent
public import WharfMetadata
public import WharfStorage

/// Applies a ``RetentionPolicy`` to a registry's storage: judges every governed
/// repository's artifacts with their push and pull times from the metadata store (storage's
/// link times where it knows none), and removes what the policy lets go, with the
/// signatures, attestations, SBOMs and untagged index children that belong to it.
///
/// Never removed: an artifact holding an immutable tag, one that a kept index lists, and one
/// whose revision was written within the grace window. Removal goes through the store, so
/// its rules hold too; a deletion planned before a tag moved onto the artifact is refused.
/// Blobs are freed by the next garbage collection.
public struct RetentionRunner: Sendable {
    /// The storage.
    public let store: RegistryStore
    /// What decides.
    public let policy: RetentionPolicy
    /// Push and pull times; `nil` judges by storage's link times alone.
    public let metadata: (any MetadataStore)?
    /// Where removals are recorded (history and the audit log), if anywhere.
    public let activity: ActivityRecorder?
    let logger: Logger

    /// Creates a runner.
    public init(
        store: RegistryStore, policy: RetentionPolicy, metadata: (any MetadataStore)? = nil,
        activity: ActivityRecorder? = nil,
        logger: Logger = Logger(label: "wharf.retention", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.store = store
        self.policy = policy
        self.metadata = metadata ?? activity?.store
        self.activity = activity
        self.logger = logger
    }

    /// Judges every governed repository and, unless a dry run, removes what goes. Throws
    /// ``RetentionError/pullHistoryUnavailable`` when a pull-based rule would judge without
    /// a metadata store: every artifact would look never pulled.
    public func run(_ options: RetentionOptions = RetentionOptions()) async throws -> RetentionReport {
        if metadata == nil, policy.judgesByPulls { throw RetentionError.pullHistoryUnavailable }
        let now = options.now ?? Date()
        var report = RetentionReport(dryRun: options.dryRun, evaluatedAt: now)
        let pullsSince = try await metadata?.pullsRecordedSince()
        for name in try await store.catalog() where policy.covers(name) {
            try await apply(
                to: try store.repository(name), options: options, now: now, pullsSince: pullsSince,
                report: &report)
        }
        logger.info(
            "retention finished",
            metadata: [
                "dryRun": "\(options.dryRun)", "repositories": "\(report.repositories)",
                "artifacts": "\(report.artifacts)", "removed": "\(report.removed.count)",
                "protected": "\(report.protected.count)", "errors": "\(report.errors.count)",
            ])
        return report
    }

    private func apply(
        to repository: RegistryRepository, options: RetentionOptions, now: Date, pullsSince: Date?,
        report: inout RetentionReport
    ) async throws {
        // Records first, storage second: a manifest recorded meanwhile was stored before it
        // was recorded, so a record storage lacks is one of a manifest deleted.
        var records: [OCIDigest: ManifestRecord] = [:]
        if let metadata {
            for record in try await metadata.manifests(in: repository.name) {
                records[record.digest] = record
            }
        }
        let stored = try await repository.storedInventory()
        guard stored.unreadable.isEmpty else {
            // An unreadable index would look absent, and its children unlisted.
            report.errors.append(
                "\(repository.name): skipped, \(stored.unreadable.count) manifest(s) cannot be read: "
                    + stored.unreadable.map(\.description).joined(separator: ", "))
            return
        }
        let inventory = RepositoryArtifacts(
            stored.manifests, records: records, pullsSince: pullsSince,
            storageTimesComparable: options.now == nil)
        if !options.dryRun, let metadata {
            // A run killed between a deletion and its record leaves such records behind.
            for digest in records.keys where inventory.manifests[digest] == nil {
                try await metadata.recordManifestDeletion(digest, in: repository.name)
            }
        }
        guard let removals = policy.removals(in: repository.name, artifacts: inventory.artifacts, now: now)
        else {
            return
        }
        report.repositories += 1
        report.artifacts += inventory.artifacts.count

        // The storage's clock dates revisions (and a recorded re-push counts): pushes still
        // in flight stay.
        let recent = Date().addingTimeInterval(-Double(options.grace.components.seconds))
        func isRecent(_ digest: OCIDigest) -> Bool {
            guard let manifest = inventory.manifests[digest] else { return false }
            return max(manifest.linkedAt, records[digest]?.pushedAt ?? .distantPast) >= recent
        }
        let artifactTags = Dictionary(
            inventory.artifacts.map { ($0.digest, $0.tags) }, uniquingKeysWith: { first, _ in first })
        let tagsOf = { (digest: OCIDigest) in artifactTags[digest] ?? inventory.manifests[digest]?.tags ?? []
        }
        var going = Set(removals.keys)
        var protections: [OCIDigest: String] = [:]
        for digest in going {
            if let tag = tagsOf(digest).first(where: {
                store.options.immutableTags.rule(protecting: $0, in: repository.name) != nil
            }) {
                protections[digest] = "tag \(tag) is immutable"
            } else if isRecent(digest) {
                protections[digest] = "pushed within the grace window"
            }
        }
        going.subtract(protections.keys)
        // An index that stays keeps what it lists (to a fixed point: indexes list indexes).
        var changed = true
        while changed {
            changed = false
            for manifest in inventory.manifests.values where !going.contains(manifest.digest) {
                for child in manifest.children where going.contains(child) {
                    going.remove(child)
                    protections[child] = "listed by the index \(manifest.digest), which stays"
                    changed = true
                }
            }
        }
        for (digest, reason) in protections.sorted(by: { $0.key.description < $1.key.description }) {
            report.protected.append(
                .init(repository: repository.name, digest: digest, tags: tagsOf(digest), reason: reason))
        }

        // Companions in the grace window stay (a child pushed again for a new index).
        let companions = inventory.companions(of: going).mapValues { $0.filter { !isRecent($0) } }
        // Indexes before what they list: a refused index keeps its children.
        let ordered = going.sorted { lhs, rhs in
            let (left, right) = (
                inventory.manifests[lhs]?.children.isEmpty == false,
                inventory.manifests[rhs]?.children.isEmpty == false
            )
            return left != right ? left : lhs.description < rhs.description
        }
        var held: [OCIDigest: OCIDigest] = [:]  // child → the refused index that keeps it
        for digest in ordered {
            let tags = tagsOf(digest)
            if let index = held[digest] {
                report.protected.append(
                    .init(
                        repository: repository.name, digest: digest, tags: tags,
                        reason: "listed by the index \(index), which stays"))
                continue
            }
            let removal = RetentionReport.Removal(
                repository: repository.name, digest: digest, tags: tags, reason: removals[digest] ?? "",
                companions: companions[digest] ?? [])
            if options.dryRun {
                report.removed.append(removal)
                continue
            }
            do {
                report.errors += try await remove(removal, from: repository, inventory: inventory)
                report.removed.append(removal)
            } catch let error as RegistryStoreError {
                for child in inventory.descendants(of: digest) where held[child] == nil {
                    held[child] = digest
                }
                switch error {
                case .denied, .tagImmutable:
                    report.protected.append(
                        .init(repository: repository.name, digest: digest, tags: tags, reason: "\(error)"))
                case .manifestUnknown:
                    continue  // deleted by someone else meanwhile
                default:
                    report.errors.append("\(repository.name)@\(digest): \(error)")
                }
            }
        }
    }

    /// Removes an artifact, then its companions, each only if it is as planned (the same
    /// tags, not pushed since); returns the companions that could not go, which the next
    /// run tries again.
    private func remove(
        _ removal: RetentionReport.Removal, from repository: RegistryRepository,
        inventory: RepositoryArtifacts
    ) async throws -> [String] {
        let planned = inventory.manifests[removal.digest]
        let removedTags = try await repository.deleteManifestReturningTags(
            removal.digest, expectedTags: Set(planned?.tags ?? []), linkedBefore: planned?.linkedAt)
        var failures: [String] = []
        var removedCompanions: [OCIDigest] = []
        for companion in removal.companions {
            let stored = inventory.manifests[companion]
            do {
                try await repository.deleteManifestReturningTags(
                    companion, expectedTags: Set(stored?.tags ?? []), linkedBefore: stored?.linkedAt)
                removedCompanions.append(companion)
            } catch RegistryStoreError.manifestUnknown {
            } catch {
                failures.append("\(repository.name)@\(companion) (with \(removal.digest)): \(error)")
            }
        }
        let now = Date()
        await activity?.recordManifestDeletion(
            removal.digest, in: repository.name,
            tagChanges: removedTags.map {
                TagChange(
                    repository: repository.name, tag: $0, digest: nil, previousDigest: removal.digest,
                    at: now,
                    by: "retention")
            })
        for companion in removedCompanions {
            await activity?.recordManifestDeletion(companion, in: repository.name)
        }
        activity?.recordAudit(
            AuditEvent(
                time: now, action: .retention, principal: "retention", repository: repository.name,
                reference: removal.tags.first, digest: removal.digest, detail: removal.reason))
        return failures
    }
}
