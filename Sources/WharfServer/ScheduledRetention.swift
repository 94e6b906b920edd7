public import Logging
public import ServiceLifecycle
public import WharfPolicy
public import WharfStorage

/// Runs retention on a schedule for as long as the server runs, each run followed by a
/// garbage collection that frees the blobs retention left unreferenced.
public struct ScheduledRetention: Service {
    /// What runs retention.
    public let runner: RetentionRunner
    /// Time between the end of one run and the start of the next.
    public let interval: Duration
    /// The options of each run (its grace window is the collection's too).
    public let options: RetentionOptions
    /// Receives every run's report.
    public let onReport: @Sendable (RetentionReport) async -> Void
    let logger: Logger

    /// Creates the service.
    public init(
        runner: RetentionRunner, interval: Duration, options: RetentionOptions = RetentionOptions(),
        logger: Logger = Logger(label: "wharf.retention"),
        onReport: @escaping @Sendable (RetentionReport) async -> Void = { _ in }
    ) {
        self.runner = runner
        self.interval = interval
        self.options = options
        self.logger = logger
        self.onReport = onReport
    }

    /// Runs every `interval` until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await runUntilCancelled() }
    }

    private func runUntilCancelled() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                let report = try await runner.run(options)
                logger.info(
                    "retention finished",
                    metadata: [
                        "removed": "\(report.removed.count)", "protected": "\(report.protected.count)",
                        "errors": "\(report.errors.count)",
                    ])
                if !report.removed.isEmpty {
                    _ = try await GarbageCollector(store: runner.store).run(
                        GarbageCollectionOptions(grace: options.grace))
                }
                await onReport(report)
            } catch is CancellationError {
                return
            } catch {
                logger.error("retention failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
