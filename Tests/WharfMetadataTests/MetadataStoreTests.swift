import Foundation
import Testing
import WharfMetadata
import WharfTestSupport

/// Every ``MetadataStore`` behaves alike: the same checks run on each implementation.
@Suite("Metadata stores")
struct MetadataStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    /// A fresh store of `kind` (SQLite in a temporary directory that `body` outlives).
    static func withStore(_ kind: Kind, _ body: (any MetadataStore) async throws -> Void) async throws {
        switch kind {
        case .memory:
            try await body(InMemoryMetadataStore())
        case .sqlite:
            let directory = try TemporaryDirectory()
            try await body(try SQLiteMetadataStore(path: directory.appending("wharf/metadata.sqlite")))
        }
    }

    static func digest(_ seed: String) -> OCIDigest { DigestHasher.digest(of: Array(seed.utf8)) }
    static let epoch = Date(timeIntervalSince1970: 1_764_633_600)

    @Test(
        "a push recorded only if unknown fills a pull-only record and leaves a known push alone",
        arguments: Kind.allCases)
    func pushIfUnknown(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let (known, pulled) = (Self.digest("known"), Self.digest("pulled"))
            try await store.recordPush(
                PushRecord(
                    repository: "r", digest: known, mediaType: .ociManifest, size: 1, at: Self.epoch,
                    by: "alice"))
            try await store.recordPulls([PullRecord(repository: "r", digest: pulled, at: Self.epoch)])
            for digest in [known, pulled] {
                try await store.recordPushIfUnknown(
                    PushRecord(
                        repository: "r", digest: digest, mediaType: .ociIndex, size: 2,
                        at: Self.epoch.addingTimeInterval(-3600)))
            }
            let kept = try #require(try await store.manifest(known, in: "r"))
            #expect(kept.pushedBy == "alice" && kept.pushedAt == Self.epoch && kept.mediaType == .ociManifest)
            let filled = try #require(try await store.manifest(pulled, in: "r"))
            #expect(filled.pushedAt == Self.epoch.addingTimeInterval(-3600) && filled.pullCount == 1)
            #expect(filled.mediaType == .ociIndex && filled.size == 2)
        }
    }

    @Test("pushes: the last push of a manifest wins; deletion drops the record", arguments: Kind.allCases)
    func pushes(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let digest = Self.digest("a")
            try await store.recordPush(
                PushRecord(
                    repository: "team/app", digest: digest, mediaType: .ociManifest, size: 10, at: Self.epoch,
                    by: "alice"))
            try await store.recordPush(
                PushRecord(
                    repository: "team/app", digest: digest, mediaType: .ociManifest, size: 10,
                    at: Self.epoch.addingTimeInterval(60), by: "bob"))
            try await store.recordPush(
                PushRecord(
                    repository: "team/other", digest: digest, mediaType: .ociIndex, size: 20, at: Self.epoch))
            let record = try #require(try await store.manifest(digest, in: "team/app"))
            #expect(record.pushedAt == Self.epoch.addingTimeInterval(60))
            #expect(record.pushedBy == "bob")
            #expect(record.mediaType == .ociManifest && record.size == 10 && record.pullCount == 0)
            #expect(try await store.repositories() == ["team/app", "team/other"])
            #expect(try await store.manifests(in: "team/other").map(\.mediaType) == [.ociIndex])
            try await store.recordManifestDeletion(digest, in: "team/app")
            #expect(try await store.manifest(digest, in: "team/app") == nil)
            #expect(try await store.manifest(digest, in: "team/other") != nil)
        }
    }

    @Test(
        "pulls add up per manifest; the latest time wins; unknown manifests get a record",
        arguments: Kind.allCases)
    func pulls(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let known = Self.digest("known")
            let unknown = Self.digest("unknown")
            try await store.recordPush(
                PushRecord(repository: "r", digest: known, mediaType: .ociManifest, size: 1, at: Self.epoch))
            try await store.recordPulls([
                PullRecord(repository: "r", digest: known, at: Self.epoch.addingTimeInterval(30)),
                PullRecord(repository: "r", digest: known, at: Self.epoch.addingTimeInterval(10)),
                PullRecord(repository: "r", digest: unknown, at: Self.epoch.addingTimeInterval(5)),
            ])
            try await store.recordPulls([
                PullRecord(repository: "r", digest: known, at: Self.epoch.addingTimeInterval(20))
            ])
            let record = try #require(try await store.manifest(known, in: "r"))
            #expect(record.pullCount == 3)
            #expect(record.lastPulledAt == Self.epoch.addingTimeInterval(30))
            #expect(record.pushedAt == Self.epoch)
            let stranger = try #require(try await store.manifest(unknown, in: "r"))
            #expect(stranger.pushedAt == nil && stranger.pullCount == 1)
        }
    }

    @Test("tag history is kept in order, per tag and for all tags", arguments: Kind.allCases)
    func tagHistory(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let (a, b) = (Self.digest("a"), Self.digest("b"))
            let changes = [
                TagChange(
                    repository: "r", tag: "v1", digest: a, previousDigest: nil, at: Self.epoch, by: "ci"),
                TagChange(repository: "r", tag: "latest", digest: a, previousDigest: nil, at: Self.epoch),
                TagChange(
                    repository: "r", tag: "v1", digest: b, previousDigest: a,
                    at: Self.epoch.addingTimeInterval(1)),
                TagChange(
                    repository: "r", tag: "v1", digest: nil, previousDigest: b,
                    at: Self.epoch.addingTimeInterval(2)),
                TagChange(repository: "s", tag: "v1", digest: a, previousDigest: nil, at: Self.epoch),
            ]
            for change in changes { try await store.recordTagChange(change) }
            #expect(try await store.tagHistory(of: "v1", in: "r") == [changes[0], changes[2], changes[3]])
            #expect(try await store.tagHistory(of: nil, in: "r") == Array(changes.prefix(4)))
        }
    }

    @Test(
        "the audit log: ids increase, filters and pages work, old events can be removed",
        arguments: Kind.allCases)
    func audit(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            var events: [AuditEvent] = []
            for minute in 0..<10 {
                events.append(
                    AuditEvent(
                        time: Self.epoch.addingTimeInterval(Double(minute) * 60),
                        action: minute % 2 == 0 ? .push : .pull,
                        outcome: minute == 9 ? .denied : .success, principal: minute < 5 ? "alice" : "bob",
                        clientAddress: "10.0.0.\(minute)",
                        repository: minute % 3 == 0 ? "team/app" : "team/other",
                        reference: "v\(minute)", digest: Self.digest("\(minute)"),
                        detail: minute == 9 ? "policy" : nil))
            }
            try await store.appendAudit(events)
            let all = try await store.auditEvents(matching: AuditQuery(limit: 100))
            #expect(all.count == 10)
            let ids = all.compactMap(\.id)
            #expect(ids.count == 10 && ids == ids.sorted() && Set(ids).count == 10)
            #expect(
                all.map {
                    var event = $0; event.id = nil; return event
                } == events)

            #expect(
                try await store.auditEvents(matching: AuditQuery(repository: "team/app")).map(\.reference)
                    == ["v0", "v3", "v6", "v9"])
            #expect(
                try await store.auditEvents(matching: AuditQuery(actions: [.pull], principal: "bob")).map(
                    \.reference) == ["v5", "v7", "v9"])
            #expect(
                try await store.auditEvents(
                    matching: AuditQuery(
                        since: Self.epoch.addingTimeInterval(120), until: Self.epoch.addingTimeInterval(300))
                ).map(\.reference) == ["v2", "v3", "v4"])
            let firstPage = try await store.auditEvents(matching: AuditQuery(limit: 4))
            let secondPage = try await store.auditEvents(
                matching: AuditQuery(after: firstPage.last?.id, limit: 4))
            #expect((firstPage + secondPage).map(\.reference) == (0..<8).map { "v\($0)" })

            #expect(try await store.removeAuditEvents(before: Self.epoch.addingTimeInterval(180)) == 3)
            #expect(try await store.auditEvents(matching: AuditQuery()).first?.reference == "v3")
        }
    }

    @Test("the SQLite database keeps everything across a reopen, and refuses a file that is not one")
    func sqliteReopen() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.appending("metadata.sqlite")
        let digest = Self.digest("a")
        do {
            let store = try SQLiteMetadataStore(path: path)
            try await store.recordPush(
                PushRecord(repository: "r", digest: digest, mediaType: .ociManifest, size: 1, at: Self.epoch))
            try await store.appendAudit([AuditEvent(time: Self.epoch, action: .push)])
        }
        let reopened = try SQLiteMetadataStore(path: path)
        #expect(try await reopened.manifest(digest, in: "r")?.pushedAt == Self.epoch)
        #expect(try await reopened.auditEvents(matching: AuditQuery()).count == 1)

        let garbage = directory.appending("garbage.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: MetadataError.self) { try SQLiteMetadataStore(path: garbage) }
    }

    @Test(
        "the activity recorder writes pulls and audit events in batches: when a batch is full, and when it stops",
        // A guard against a hang, not a speed limit: it takes milliseconds alone, but the
        // whole suite in parallel on two cores starves small tasks for tens of seconds.
        .timeLimit(.minutes(5)), arguments: Kind.allCases)
    func activityRecorder(kind: Kind) async throws {
        try await Self.withStore(kind) { store in
            let recorder = ActivityRecorder(store: store, interval: .seconds(3600), batchLimit: 100)
            let digest = Self.digest("a")
            let running = Task { await recorder.run() }
            for second in 0..<250 {
                recorder.recordPull(
                    PullRecord(
                        repository: "r", digest: digest, at: Self.epoch.addingTimeInterval(Double(second))))
            }
            recorder.recordAudit(AuditEvent(time: Self.epoch, action: .login, principal: "alice"))
            // A full batch wakes the writer long before the hour is up. (Only the first is
            // sure to fill: the writer may take a batch while the loop above still records.)
            while try await (store.manifest(digest, in: "r")?.pullCount ?? 0) < 100 {
                try await Task.sleep(for: .milliseconds(2))  // polling the store, not waiting for time
            }
            // Stopping is cancelling: what waits is still written (a cancelled task's
            // database access may be refused, as GRDB refuses it).
            running.cancel()
            await running.value
            let record = try #require(try await store.manifest(digest, in: "r"))
            #expect(record.pullCount == 250, "stopping writes what was waiting")
            #expect(record.lastPulledAt == Self.epoch.addingTimeInterval(249))
            #expect(recorder.waitingCount == 0)
            #expect(try await store.auditEvents(matching: AuditQuery()).map(\.principal) == ["alice"])
        }
    }
}
