/// Limits how many operations run at once, suspending (not blocking) those that wait.
///
/// Waiting honours cancellation: a task cancelled while it waits for a permit stops
/// waiting at once with `CancellationError` and takes no permit, so a cancelled copy or
/// transfer does not sit in the queue until a permit frees up.
package actor AsyncSemaphore {
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiter: UInt64 = 0

    package init(permits: Int) {
        available = permits
    }

    /// Takes a permit, waiting for one if none is free; throws `CancellationError` when the
    /// task is (or becomes) cancelled before it gets one.
    package func acquire() async throws {
        try Task.checkCancellation()
        if available > 0 {
            available -= 1
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation {
                (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.stopWaiting(id) }
        }
    }

    /// Gives a permit back, to the longest waiter if there is one.
    package func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    /// Runs `body` holding one permit.
    package func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await body()
    }

    /// The waiters still queued (for tests).
    package var waiting: Int { waiters.count }

    /// Ends the wait of a cancelled waiter, if it is still queued (a permit may have reached
    /// it first; then it runs, and its task sees the cancellation itself).
    private func stopWaiting(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }
}
