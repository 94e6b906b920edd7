import Foundation
import GRDB

/// The SQLite schema, as versioned migrations run at open: a database written by an older
/// Wharf is brought forward, never rewritten from scratch. Times are integer milliseconds
/// since 1970 (what PostgreSQL's `bigint` holds too).
enum MetadataSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: manifests, tag history, audit log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE manifest (
                        repository TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        media_type TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        pushed_at INTEGER,
                        pushed_by TEXT,
                        last_pulled_at INTEGER,
                        pull_count INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (repository, digest)
                    );
                    CREATE TABLE tag_change (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        repository TEXT NOT NULL,
                        tag TEXT NOT NULL,
                        digest TEXT,
                        previous_digest TEXT,
                        at INTEGER NOT NULL,
                        by TEXT
                    );
                    CREATE INDEX tag_change_by_tag ON tag_change (repository, tag, id);
                    CREATE TABLE audit_event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        time INTEGER NOT NULL,
                        action TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        principal TEXT,
                        client_address TEXT,
                        repository TEXT,
                        reference TEXT,
                        digest TEXT,
                        detail TEXT
                    );
                    CREATE INDEX audit_event_by_time ON audit_event (time);
                    CREATE INDEX audit_event_by_repository ON audit_event (repository, id);
                    """)
        }
        migrator.registerMigration("v2: when pull tracking began") { db in
            // Pulls before this moment were never recorded: retention must not read their
            // absence as "never pulled" (a database started over, or one adopting a root
            // another registry wrote).
            try db.execute(
                sql: """
                    CREATE TABLE store_info (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                    INSERT INTO store_info (key, value) VALUES ('pulls_recorded_since', ?);
                    """,
                arguments: [SQLiteMetadataStore.milliseconds(Date())])
        }
        return migrator
    }
}
