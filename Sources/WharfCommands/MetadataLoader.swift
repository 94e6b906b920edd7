import Foundation
import Logging
import WharfPolicy

/// Opens the metadata database of a storage root for `wharf serve` and the verbs that read
/// it. A database that cannot be opened never stops the registry: it is moved aside (kept
/// for inspection, never deleted) and a new one is started, which the caller then fills
/// again from storage.
enum MetadataLoader {
    /// The default database of a storage root: inside the root, beside Distribution's
    /// `docker/` directory, which Distribution ignores.
    static func defaultPath(root: String) -> String {
        (root as NSString).appendingPathComponent("wharf/metadata.sqlite")
    }

    /// The opened database, and whether it is new (created now, or started again after the
    /// old one proved unusable), so that it needs a rebuild from storage.
    static func open(path: String, logger: Logger) -> (store: SQLiteMetadataStore, isNew: Bool)? {
        let existed = FileManager.default.fileExists(atPath: path)
        do {
            return (try SQLiteMetadataStore(path: path), !existed)
        } catch {
            let aside = "\(path).unusable-\(Int(Date().timeIntervalSince1970))"
            logger.error(
                "the metadata database is unusable; moving it aside and starting a new one",
                metadata: ["path": "\(path)", "movedTo": "\(aside)", "error": "\(error)"])
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
            }
            do {
                return (try SQLiteMetadataStore(path: path), true)
            } catch {
                logger.error(
                    "cannot create a metadata database; serving without history, pulls or audit log",
                    metadata: ["path": "\(path)", "error": "\(error)"])
                return nil
            }
        }
    }

    /// Fills a database from storage in the background when it is new, or when an earlier
    /// rebuild did not finish (a marker file beside the database says so until it ends).
    static func rebuildIfNeeded(
        _ database: SQLiteMetadataStore, isNew: Bool, store: RegistryStore, logger: Logger
    ) {
        let marker = database.path + ".rebuilding"
        guard isNew || FileManager.default.fileExists(atPath: marker) else { return }
        FileManager.default.createFile(atPath: marker, contents: Data())
        Task {
            do {
                try await MetadataRebuilder(store: store, metadata: database, logger: logger).run()
                try? FileManager.default.removeItem(atPath: marker)
            } catch {
                logger.error("could not rebuild the metadata database", metadata: ["error": "\(error)"])
            }
        }
    }
}
