public import Foundation
import GRDB
public import WharfContent

/// The embedded ``MetadataStore``: one SQLite database file (GRDB, write-ahead logging, so
/// reads never wait for the writer). Migrations run when it opens.
public final class SQLiteMetadataStore: MetadataStore {
    /// The database file.
    public let path: String
    private let database: DatabasePool

    /// Opens (creating it and its directory when missing) the database at `path`, and
    /// brings its schema up to date. Throws ``MetadataError/database(_:)`` when the file is
    /// not a database Wharf can use.
    public init(path: String) throws(MetadataError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: path, configuration: configuration)
            try MetadataSchema.migrator.migrate(database)
        } catch {
            throw .database("cannot open the metadata database: \(error)")
        }
    }

    /// Records a push (an upsert: the last push wins).
    public func recordPush(_ push: PushRecord) async throws {
        try await upsert(push, condition: "")
    }

    /// Records a push where no push time is known, in one statement (so a push the
    /// registry records meanwhile is never overwritten).
    public func recordPushIfUnknown(_ push: PushRecord) async throws {
        try await upsert(push, condition: "WHERE manifest.pushed_at IS NULL")
    }

    /// Inserts a push record, or updates the existing one where `condition` holds.
    private func upsert(_ push: PushRecord, condition: String) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO manifest (repository, digest, media_type, size, pushed_at, pushed_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (repository, digest) DO UPDATE SET
                        media_type = excluded.media_type, size = excluded.size,
                        pushed_at = excluded.pushed_at, pushed_by = excluded.pushed_by
                    \(condition)
                    """,
                arguments: [
                    push.repository, push.digest.description, push.mediaType.rawValue, push.size,
                    Self.milliseconds(push.at), push.by,
                ])
        }
    }

    /// Appends to the tag's history.
    public func recordTagChange(_ change: TagChange) async throws {
        try await write { db in
            try db.execute(
                sql:
                    "INSERT INTO tag_change (repository, tag, digest, previous_digest, at, by) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    change.repository, change.tag, change.digest?.description,
                    change.previousDigest?.description,
                    Self.milliseconds(change.at), change.by,
                ])
        }
    }

    /// Drops the manifest's record.
    public func recordManifestDeletion(_ digest: OCIDigest, in repository: String) async throws {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM manifest WHERE repository = ? AND digest = ?",
                arguments: [repository, digest.description])
        }
    }

    /// Adds the pulls, aggregated per manifest, in one transaction.
    public func recordPulls(_ pulls: [PullRecord]) async throws {
        struct Key: Hashable {
            var repository: String
            var digest: OCIDigest
        }
        var tally: [Key: (count: Int64, last: Date)] = [:]
        for pull in pulls {
            let key = Key(repository: pull.repository, digest: pull.digest)
            let previous = tally[key]
            tally[key] = ((previous?.count ?? 0) + 1, max(previous?.last ?? pull.at, pull.at))
        }
        guard !tally.isEmpty else { return }
        let totals = tally
        try await write { db in
            for (key, value) in totals {
                try db.execute(
                    sql: """
                        INSERT INTO manifest (repository, digest, media_type, size, last_pulled_at, pull_count)
                        VALUES (?, ?, 'application/octet-stream', 0, ?, ?)
                        ON CONFLICT (repository, digest) DO UPDATE SET
                            pull_count = manifest.pull_count + excluded.pull_count,
                            last_pulled_at = MAX(COALESCE(manifest.last_pulled_at, 0), excluded.last_pulled_at)
                        """,
                    arguments: [
                        key.repository, key.digest.description, Self.milliseconds(value.last), value.count,
                    ])
            }
        }
    }

    /// The manifest's record.
    public func manifest(_ digest: OCIDigest, in repository: String) async throws -> ManifestRecord? {
        try await read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM manifest WHERE repository = ? AND digest = ?",
                arguments: [repository, digest.description]
            ).map(Self.manifestRecord)
        }
    }

    /// The repository's records, by digest.
    public func manifests(in repository: String) async throws -> [ManifestRecord] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM manifest WHERE repository = ? ORDER BY digest",
                arguments: [repository]
            ).map(Self.manifestRecord)
        }
    }

    /// The repositories with records, sorted.
    public func repositories() async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT repository FROM manifest ORDER BY repository")
        }
    }

    /// A tag's history (or all tags'), oldest first.
    public func tagHistory(of tag: String?, in repository: String) async throws -> [TagChange] {
        try await read { db in
            let rows =
                if let tag {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM tag_change WHERE repository = ? AND tag = ? ORDER BY id",
                        arguments: [repository, tag])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT * FROM tag_change WHERE repository = ? ORDER BY id",
                        arguments: [repository])
                }
            return try rows.map { row in
                TagChange(
                    repository: row["repository"], tag: row["tag"], digest: try Self.digest(row["digest"]),
                    previousDigest: try Self.digest(row["previous_digest"]), at: Self.date(row["at"]),
                    by: row["by"])
            }
        }
    }

    /// When this database began recording pulls: its creation.
    public func pullsRecordedSince() async throws -> Date? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT value FROM store_info WHERE key = 'pulls_recorded_since'")
                .map(Self.date)
        }
    }

    /// Appends events in one transaction; ids come from the database.
    public func appendAudit(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await write { db in
            for event in events {
                try db.execute(
                    sql: """
                        INSERT INTO audit_event
                            (time, action, outcome, principal, client_address, repository, reference, digest, detail)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Self.milliseconds(event.time), event.action.rawValue, event.outcome.rawValue,
                        event.principal,
                        event.clientAddress, event.repository, event.reference, event.digest?.description,
                        event.detail,
                    ])
            }
        }
    }

    /// The matching events, oldest first.
    public func auditEvents(matching query: AuditQuery) async throws -> [AuditEvent] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let repository = query.repository {
            conditions.append("repository = ?")
            arguments += [repository]
        }
        if let since = query.since {
            conditions.append("time >= ?")
            arguments += [Self.milliseconds(since)]
        }
        if let until = query.until {
            conditions.append("time < ?")
            arguments += [Self.milliseconds(until)]
        }
        if !query.actions.isEmpty {
            conditions.append("action IN (\(query.actions.map { _ in "?" }.joined(separator: ", ")))")
            arguments += StatementArguments(query.actions.map(\.rawValue).sorted())
        }
        if let principal = query.principal {
            conditions.append("principal = ?")
            arguments += [principal]
        }
        if let after = query.after {
            conditions.append("id > ?")
            arguments += [after]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM audit_event \(whereClause) ORDER BY id LIMIT ?"
        arguments += [max(0, query.limit)]
        let statementArguments = arguments
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                var event = AuditEvent(
                    time: Self.date(row["time"]), action: AuditAction(rawValue: row["action"]),
                    outcome: AuditOutcome(rawValue: row["outcome"]) ?? .failure, principal: row["principal"],
                    clientAddress: row["client_address"], repository: row["repository"],
                    reference: row["reference"],
                    digest: try Self.digest(row["digest"]), detail: row["detail"])
                event.id = row["id"]
                return event
            }
        }
    }

    /// Removes events older than `date`.
    @discardableResult
    public func removeAuditEvents(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM audit_event WHERE time < ?", arguments: [Self.milliseconds(date)])
            return db.changesCount
        }
    }

    /// What SQLite's own check (`PRAGMA integrity_check`) finds wrong with the file; empty
    /// when it is sound.
    public func integrityProblems() async throws -> [String] {
        try await read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
        }
    }

    // MARK: - Plumbing

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.write(body)
        } catch let error as MetadataError {
            throw error
        } catch {
            throw MetadataError.database("\(error)")
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch let error as MetadataError {
            throw error
        } catch {
            throw MetadataError.database("\(error)")
        }
    }

    /// Milliseconds since 1970, clamped to what SQLite's integers hold (a date a million
    /// years away is a caller's mistake, not a reason to trap).
    static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        guard value.isFinite else { return value > 0 ? .max : .min }
        return Int64(max(min(value, 9.0e18), -9.0e18))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    static func digest(_ text: String?) throws(MetadataError) -> OCIDigest? {
        guard let text else { return nil }
        do {
            return try OCIDigest(parsing: text)
        } catch {
            throw .database("a stored digest is malformed: \(text)")
        }
    }

    static func manifestRecord(_ row: Row) throws -> ManifestRecord {
        guard let digest = try digest(row["digest"]) else {
            throw MetadataError.database("a manifest without digest")
        }
        let pushedAt: Int64? = row["pushed_at"]
        let lastPulledAt: Int64? = row["last_pulled_at"]
        return ManifestRecord(
            repository: row["repository"], digest: digest,
            mediaType: OCIMediaType(rawValue: row["media_type"]),
            size: row["size"], pushedAt: pushedAt.map(date), pushedBy: row["pushed_by"],
            lastPulledAt: lastPulledAt.map(date), pullCount: row["pull_count"])
    }
}
