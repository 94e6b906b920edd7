public import Foundation
public import Logging
import Synchronization
public import WharfContent

/// Records what a registry does into a ``MetadataStore`` without letting the database
/// slow down or fail a request.
///
/// Pushes, tag changes and deletions are rare and matter: they are written when they
/// happen. Pulls and audit events are frequent: they wait in memory and are written in
/// batches, every ``interval``, when ``batchLimit`` of them wait, and when ``run()`` ends,
/// so a crash loses at most the last interval's. A failing database is logged, never
/// thrown: metadata never decides whether content is served.
public final class ActivityRecorder: Sendable {
    /// Where records are written.
    public let store: any MetadataStore
    /// How often waiting pulls and audit events are written.
    public let interval: Duration
    /// How many waiting records make a write happen at once.
    public let batchLimit: Int
    private let logger: Logger
    private let waiting = Mutex<Batch>(Batch())
    private let wakeUp: AsyncStream<Void>.Continuation
    private let wakeUps: AsyncStream<Void>

    private struct Batch {
        var pulls: [PullRecord] = []
        var audit: [AuditEvent] = []
        var count: Int { pulls.count + audit.count }
    }

    /// Creates a recorder writing to `store`; call ``run()`` to start the batch writer.
    public init(
        store: any MetadataStore, interval: Duration = .seconds(2), batchLimit: Int = 10_000,
        logger: Logger = Logger(label: "wharf.metadata")
    ) {
        self.store = store
        self.interval = interval
        self.batchLimit = batchLimit
        self.logger = logger
        (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    // MARK: Written at once

    /// Records a manifest push and the tag changes it made.
    public func recordPush(_ push: PushRecord, tagChanges: [TagChange] = []) async {
        await attempt("record a push", repository: push.repository) { [store] in
            try await store.recordPush(push)
            for change in tagChanges { try await store.recordTagChange(change) }
        }
    }

    /// Records a tag set, moved or deleted outside a push.
    public func recordTagChange(_ change: TagChange) async {
        await attempt("record a tag change", repository: change.repository) { [store] in
            try await store.recordTagChange(change)
        }
    }

    /// Records a manifest deleted, with the deletions of the tags that named it.
    public func recordManifestDeletion(
        _ digest: OCIDigest, in repository: String, tagChanges: [TagChange] = []
    ) async {
        await attempt("record a deletion", repository: repository) { [store] in
            try await store.recordManifestDeletion(digest, in: repository)
            for change in tagChanges { try await store.recordTagChange(change) }
        }
    }

    /// Runs a write outside the calling task, so that a request or service being cancelled
    /// (a client gone, a shutdown) does not cancel the record with it: a database may refuse
    /// work from a cancelled task, as GRDB does.
    private func attempt(
        _ what: String, repository: String, _ body: @escaping @Sendable () async throws -> Void
    ) async {
        do {
            try await Task { try await body() }.value
        } catch {
            logger.error(
                "could not \(what)", metadata: ["repository": "\(repository)", "error": "\(error)"])
        }
    }

    // MARK: Batched

    /// Notes a pull; returns at once.
    public func recordPull(_ pull: PullRecord) {
        enqueue { $0.pulls.append(pull) }
    }

    /// Notes an audit event; returns at once.
    public func recordAudit(_ event: AuditEvent) {
        enqueue { $0.audit.append(event) }
    }

    private func enqueue(_ add: (inout Batch) -> Void) {
        let count = waiting.withLock { batch in
            add(&batch)
            return batch.count
        }
        if count == batchLimit { wakeUp.yield() }
    }

    /// How many pulls and audit events wait to be written.
    public var waitingCount: Int { waiting.withLock { $0.count } }

    /// Writes what is waiting now, outside the calling task (see ``run()``). A failed write
    /// is logged and its records are dropped: statistics are worth less than a growing
    /// backlog.
    public func flush() async {
        await Task { await self.writeWaiting() }.value
    }

    private func writeWaiting() async {
        let batch = waiting.withLock { waiting in
            defer { waiting = Batch() }
            return waiting
        }
        if !batch.audit.isEmpty {
            do {
                try await store.appendAudit(batch.audit)
            } catch {
                logger.error(
                    "could not write audit events",
                    metadata: ["events": "\(batch.audit.count)", "error": "\(error)"])
            }
        }
        if !batch.pulls.isEmpty {
            do {
                try await store.recordPulls(batch.pulls)
            } catch {
                logger.error(
                    "could not record pulls",
                    metadata: ["pulls": "\(batch.pulls.count)", "error": "\(error)"])
            }
        }
    }

    /// Writes batches until the task is cancelled, then writes what is left.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [wakeUp] in
                // Ticks at the interval; a full batch wakes the writer early.
                while !Task.isCancelled {
                    try? await Task.sleep(for: self.interval)
                    wakeUp.yield()
                }
                wakeUp.finish()
            }
            for await _ in wakeUps {
                await flush()
                if Task.isCancelled { break }
            }
            group.cancelAll()
        }
        // What is left: flush() writes outside this (cancelled) task.
        await flush()
    }
}
