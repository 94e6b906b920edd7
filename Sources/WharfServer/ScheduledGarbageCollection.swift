public import Logging
public import ServiceLifecycle
public import WharfStorage

/// Runs garbage collection on a schedule for as long as the server runs, as a
/// ServiceLifecycle service beside the HTTP server.
///
/// Collection coordinates through storage (see `GarbageCollector` in `WharfStorage`), so it is safe while
/// this server, other servers on the same root, and `wharf gc` all work at once.
public struct ScheduledGarbageCollection: Service {
    /// The store to collect.
    public let store: RegistryStore
    /// Time between the end of one run and the start of the next.
    public let interval: Duration
    /// What each run does.
    public let options: GarbageCollectionOptions
    /// Receives every run's report (and is where tests observe the schedule).
    public let onReport: @Sendable (GarbageCollectionReport) async -> Void
    let logger: Logger

    /// Creates the service.
    public init(
        store: RegistryStore, interval: Duration,
        options: GarbageCollectionOptions = GarbageCollectionOptions(),
        logger: Logger = Logger(label: "wharf.gc"),
        onReport: @escaping @Sendable (GarbageCollectionReport) async -> Void = { _ in }
    ) {
        self.store = store
        self.interval = interval
        self.options = options
        self.logger = logger
        self.onReport = onReport
    }

    /// Collects every `interval` until the service group shuts down; a shutdown ends the
    /// service normally, between runs or during one.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await collectUntilCancelled() }
    }

    private func collectUntilCancelled() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return  // cancelled while waiting
            }
            do {
                let report = try await GarbageCollector(store: store).run(options)
                logger.info(
                    "garbage collection finished",
                    metadata: [
                        "deletedBlobs": "\(report.deletedBlobs.count)", "bytesFreed": "\(report.bytesFreed)",
                        "deletedManifests": "\(report.deletedManifests.count)",
                    ])
                await onReport(report)
            } catch is CancellationError {
                return
            } catch {
                // A failed run is retried at the next interval; the server keeps serving.
                logger.error("garbage collection failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
