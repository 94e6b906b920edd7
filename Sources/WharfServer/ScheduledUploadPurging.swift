public import Logging
public import ServiceLifecycle
public import WharfStorage

/// Purges abandoned upload sessions on a schedule for as long as the server runs, as
/// Distribution's upload purger does (by default sessions older than 168 hours, every 24
/// hours); a session written to within the age is in use and stays.
public struct ScheduledUploadPurging: Service {
    /// The store whose uploads are purged.
    public let store: RegistryStore
    /// Sessions older than this go.
    public let age: Duration
    /// Time between runs; the first runs at start.
    public let interval: Duration
    let logger: Logger

    /// Creates the service.
    public init(
        store: RegistryStore, age: Duration = .seconds(168 * 3600), interval: Duration = .seconds(24 * 3600),
        logger: Logger = Logger(label: "wharf.uploads")
    ) {
        self.store = store
        self.age = age
        self.interval = interval
        self.logger = logger
    }

    /// Purges at start and every `interval` until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let purged = try await store.purgeUploads(olderThan: age)
                    if purged > 0 {
                        logger.info("purged abandoned uploads", metadata: ["sessions": "\(purged)"])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("upload purging failed", metadata: ["error": "\(error)"])
                }
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }
}
