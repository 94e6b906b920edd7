public import Foundation
public import WharfContent

/// A ``MetadataStore`` in memory: for tests and for embedders that need no history across
/// restarts.
public actor InMemoryMetadataStore: MetadataStore {
    private struct Key: Hashable {
        var repository: String
        var digest: OCIDigest
    }
    /// Records by repository, then digest: a repository's records are one lookup away.
    private var byRepository: [String: [OCIDigest: ManifestRecord]] = [:]

    private subscript(key: Key) -> ManifestRecord? {
        get { byRepository[key.repository]?[key.digest] }
        set {
            byRepository[key.repository, default: [:]][key.digest] = newValue
            if byRepository[key.repository]?.isEmpty == true { byRepository[key.repository] = nil }
        }
    }
    private var tagChanges: [TagChange] = []
    private var audit: [AuditEvent] = []
    private var nextAuditID: Int64 = 1

    private let pullsSince: Date?

    /// Creates an empty store that has recorded pulls since `pullsRecordedSince` (`nil`:
    /// since the beginning).
    public init(pullsRecordedSince: Date? = nil) {
        pullsSince = pullsRecordedSince
    }

    /// Since when pulls are recorded.
    public func pullsRecordedSince() -> Date? { pullsSince }

    /// Records a push; the manifest's push time and pusher become the push's.
    public func recordPush(_ push: PushRecord) {
        let key = Key(repository: push.repository, digest: push.digest)
        var record =
            self[key]
            ?? ManifestRecord(
                repository: push.repository, digest: push.digest, mediaType: push.mediaType, size: push.size,
                pushedAt: nil)
        record.mediaType = push.mediaType
        record.size = push.size
        record.pushedAt = push.at
        record.pushedBy = push.by
        self[key] = record
    }

    /// Records a push where no push time is known.
    public func recordPushIfUnknown(_ push: PushRecord) {
        guard self[Key(repository: push.repository, digest: push.digest)]?.pushedAt == nil else { return }
        recordPush(push)
    }

    /// Appends to the tag's history.
    public func recordTagChange(_ change: TagChange) {
        tagChanges.append(change)
    }

    /// Drops the manifest's record.
    public func recordManifestDeletion(_ digest: OCIDigest, in repository: String) {
        self[Key(repository: repository, digest: digest)] = nil
    }

    /// Adds pulls to the manifests' counts and last pull times.
    public func recordPulls(_ pulls: [PullRecord]) {
        for pull in pulls {
            let key = Key(repository: pull.repository, digest: pull.digest)
            var record =
                self[key]
                ?? ManifestRecord(
                    repository: pull.repository, digest: pull.digest, mediaType: "application/octet-stream",
                    size: 0,
                    pushedAt: nil)
            record.pullCount += 1
            record.lastPulledAt = max(record.lastPulledAt ?? pull.at, pull.at)
            self[key] = record
        }
    }

    /// The manifest's record.
    public func manifest(_ digest: OCIDigest, in repository: String) -> ManifestRecord? {
        self[Key(repository: repository, digest: digest)]
    }

    /// The repository's records, by digest.
    public func manifests(in repository: String) -> [ManifestRecord] {
        (byRepository[repository]?.values.map(\.self) ?? []).sorted { $0.digest < $1.digest }
    }

    /// The repositories with records, sorted.
    public func repositories() -> [String] {
        byRepository.keys.sorted()
    }

    /// A tag's history (or all tags'), oldest first.
    public func tagHistory(of tag: String?, in repository: String) -> [TagChange] {
        tagChanges.filter { $0.repository == repository && (tag == nil || $0.tag == tag) }
    }

    /// Appends events, numbering them.
    public func appendAudit(_ events: [AuditEvent]) {
        for var event in events {
            event.id = nextAuditID
            nextAuditID += 1
            audit.append(event)
        }
    }

    /// The matching events, oldest first, at most `query.limit`.
    public func auditEvents(matching query: AuditQuery) -> [AuditEvent] {
        Array(audit.filter(query.matches).prefix(max(0, query.limit)))
    }

    /// Removes events older than `date`.
    @discardableResult
    public func removeAuditEvents(before date: Date) -> Int {
        let before = audit.count
        audit.removeAll { $0.time < date }
        return before - audit.count
    }
}
