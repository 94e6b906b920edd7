public import Foundation
public import Logging
import Synchronization
public import WharfContent

/// Collects manifest pulls without a database write per request, and writes them in
/// batches: every ``interval``, when ``batchLimit`` pulls are waiting, and when ``run()``
/// ends. A crash loses at most the pulls of the last interval.
public final class PullRecorder: Sendable {
    /// Where pulls are written.
    public let store: any MetadataStore
    /// How often waiting pulls are written.
    public let interval: Duration
    /// How many waiting pulls make a write happen at once.
    public let batchLimit: Int
    private let logger: Logger
    private let waiting = Mutex<[PullRecord]>([])
    private let wakeUp: AsyncStream<Void>.Continuation
    private let wakeUps: AsyncStream<Void>

    /// Creates a recorder writing to `store`; call ``run()`` to start writing.
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

    /// Notes a pull; returns at once.
    public func record(_ pull: PullRecord) {
        let count = waiting.withLock { waiting in
            waiting.append(pull)
            return waiting.count
        }
        if count == batchLimit { wakeUp.yield() }
    }

    /// How many pulls wait to be written.
    public var waitingCount: Int { waiting.withLock { $0.count } }

    /// Writes what is waiting now. A failed write is logged and its pulls are dropped:
    /// pull statistics are worth less than a growing backlog.
    public func flush() async {
        let batch = waiting.withLock { waiting in
            defer { waiting = [] }
            return waiting
        }
        guard !batch.isEmpty else { return }
        do {
            try await store.recordPulls(batch)
        } catch {
            logger.error(
                "could not record pulls", metadata: ["pulls": "\(batch.count)", "error": "\(error)"])
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
        await flush()
    }
}
