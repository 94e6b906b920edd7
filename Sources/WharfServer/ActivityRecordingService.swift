import Foundation
public import Logging
public import ServiceLifecycle
public import WharfMetadata

/// Runs an `ActivityRecorder`'s batch writer for as long as the server runs, as a
/// ServiceLifecycle service, and prunes the audit log of events older than its retention.
/// On shutdown the recorder writes what is still waiting.
public struct ActivityRecordingService: Service {
    /// The recorder whose batches are written.
    public let recorder: ActivityRecorder
    /// How long audit events are kept; `nil` keeps them forever.
    public let auditRetention: Duration?
    /// How often old audit events are pruned.
    public let pruneInterval: Duration
    let logger: Logger

    /// Creates the service.
    public init(
        recorder: ActivityRecorder, auditRetention: Duration? = nil, pruneInterval: Duration = .seconds(3600),
        logger: Logger = Logger(label: "wharf.metadata")
    ) {
        self.recorder = recorder
        self.auditRetention = auditRetention
        self.pruneInterval = pruneInterval
        self.logger = logger
    }

    /// Writes batches (and prunes) until the service group shuts down.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await recorder.run() }
                if let auditRetention {
                    group.addTask { await pruneUntilCancelled(keeping: auditRetention) }
                }
            }
        }
    }

    private func pruneUntilCancelled(keeping retention: Duration) async {
        while !Task.isCancelled {
            do {
                let removed = try await recorder.store.removeAuditEvents(
                    before: Date().addingTimeInterval(-Double(retention.components.seconds)))
                if removed > 0 { logger.info("pruned audit events", metadata: ["removed": "\(removed)"]) }
            } catch {
                logger.error("could not prune audit events", metadata: ["error": "\(error)"])
            }
            do {
                try await Task.sleep(for: pruneInterval)
            } catch {
                return
            }
        }
    }
}
