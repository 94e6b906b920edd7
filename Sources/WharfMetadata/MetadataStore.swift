public import Foundation
public import WharfContent

/// What happened to each artifact: pushes, tag history, pulls and the audit log.
///
/// Storage stays the source of truth for content: metadata never decides whether a blob
/// or manifest exists, only what the registry knows about it (when, by whom, how often).
/// Implementations: ``InMemoryMetadataStore`` and ``SQLiteMetadataStore``; the protocol
/// uses nothing a SQL database without SQLite's quirks could not do, so that a PostgreSQL
/// implementation fits.
public protocol MetadataStore: Sendable {
    /// Records a manifest push: the manifest's push time and pusher become these (a
    /// repeated push of the same manifest counts as its last push, as in Harbor).
    func recordPush(_ push: PushRecord) async throws

    /// Records a push only where the manifest has no known push time (a rebuild from
    /// storage must not overwrite what the registry recorded meanwhile); pull statistics
    /// are kept either way.
    func recordPushIfUnknown(_ push: PushRecord) async throws

    /// Records a tag set, moved or deleted.
    func recordTagChange(_ change: TagChange) async throws

    /// Records a manifest deleted from a repository: its record goes; its tags' history
    /// stays.
    func recordManifestDeletion(_ digest: OCIDigest, in repository: String) async throws

    /// Records pulls (batched): each manifest's pull count grows by its pulls and its last
    /// pull time becomes the latest of them. Pulls of manifests without a record create
    /// one with an unknown push time.
    func recordPulls(_ pulls: [PullRecord]) async throws

    /// The record of a manifest in a repository.
    func manifest(_ digest: OCIDigest, in repository: String) async throws -> ManifestRecord?

    /// The records of a repository's manifests, by digest.
    func manifests(in repository: String) async throws -> [ManifestRecord]

    /// The repositories with at least one manifest record, sorted.
    func repositories() async throws -> [String]

    /// The history of `tag` in `repository` (of all its tags when `nil`), oldest first.
    func tagHistory(of tag: String?, in repository: String) async throws -> [TagChange]

    /// Since when the store records pulls (`nil`: from the beginning). Before then a
    /// manifest's pulls are unknown, not absent: a database started over, or one adopting a
    /// root another registry wrote, knows no earlier pull.
    func pullsRecordedSince() async throws -> Date?

    /// Appends events to the audit log, assigning their ids.
    func appendAudit(_ events: [AuditEvent]) async throws

    /// Audit events matching `query`, oldest first.
    func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent]

    /// Removes audit events older than `date`; returns how many.
    @discardableResult
    func removeAuditEvents(before date: Date) async throws -> Int
}
