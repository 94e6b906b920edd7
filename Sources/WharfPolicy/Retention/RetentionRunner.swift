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

    /// Judges every governed repository and, unless a dry run, removes what goes.
    public func run(_ options: RetentionOptions = RetentionOptions()) async throws -> RetentionReport {
        let now = options.now ?? Date()
        var report = RetentionReport(dryRun: options.dryRun, evaluatedAt: now)
        for name in try await store.catalog() where policy.covers(name) {
            try await apply(to: try store.repository(name), options: options, now: now, report: &report)
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
        to repository: RegistryRepository, options: RetentionOptions, now: Date, report: inout RetentionReport
    ) async throws {
        // Records first, storage second: a manifest recorded meanwhile was stored before it
        // was recorded, so a record storage lacks is one of a manifest deleted.
        var records: [OCIDigest: ManifestRecord] = [:]
        if let metadata {
            for record in try await metadata.manifests(in: repository.name) {
                records[record.digest] = record
            }
        }
        let stored = try await repository.storedManifests()
        let inventory = RepositoryArtifacts(stored, records: records)
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

        let byDigest = Dictionary(
            inventory.artifacts.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        // The storage's clock dates revisions; pushes still in flight stay.
        let recent = Date().addingTimeInterval(-Double(options.grace.components.seconds))
        var going = Set(removals.keys)
        var protections: [OCIDigest: String] = [:]
        for digest in going {
            let tags = byDigest[digest]?.tags ?? []
            if let tag = tags.first(where: {
                store.options.immutableTags.rule(protecting: $0, in: repository.name) != nil
            }) {
                protections[digest] = "tag \(tag) is immutable"
            } else if let manifest = inventory.manifests[digest],
                max(manifest.linkedAt, records[digest]?.pushedAt ?? .distantPast) >= recent
            {
                // A push of the manifest again counts too: it rewrites the link, and is
                // recorded.
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
                .init(
                    repository: repository.name, digest: digest, tags: byDigest[digest]?.tags ?? [],
                    reason: reason))
        }

        let companions = inventory.companions(of: going)
        for digest in going.sorted(by: { $0.description < $1.description }) {
            let tags = byDigest[digest]?.tags ?? []
            let removal = RetentionReport.Removal(
                repository: repository.name, digest: digest, tags: tags, reason: removals[digest] ?? "",
                companions: companions[digest] ?? [])
            if options.dryRun {
                report.removed.append(removal)
                continue
            }
            do {
                let failures = try await remove(
                    removal, from: repository, storedTags: inventory.manifests[digest]?.tags ?? [])
                report.removed.append(removal)
                report.errors += failures
            } catch let error as RegistryStoreError {
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

    /// Removes an artifact, then its companions; returns the companions that could not go
    /// (an immutable tag on a signature image, say), which the next run tries again.
    private func remove(
        _ removal: RetentionReport.Removal, from repository: RegistryRepository, storedTags: [String]
    ) async throws -> [String] {
        let removedTags = try await repository.deleteManifestReturningTags(
            removal.digest, expectedTags: Set(storedTags))
        var failures: [String] = []
        for companion in removal.companions {
            do {
                try await repository.deleteManifest(companion)
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
        for companion in removal.companions {
            await activity?.recordManifestDeletion(companion, in: repository.name)
        }
        activity?.recordAudit(
            AuditEvent(
                time: now, action: .retention, principal: "retention", repository: repository.name,
                reference: removal.tags.first, digest: removal.digest, detail: removal.reason))
        return failures
    }
}
