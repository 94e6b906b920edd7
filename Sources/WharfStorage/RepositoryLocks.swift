/// Serialises, within one process, the writes that read a repository's tags and then
/// change them (a manifest put checking immutable tags, a deletion checking which tags
/// point at a manifest), so that two of them cannot interleave between check and write.
/// Processes sharing a root are not covered: storage has no lock of its own, as in
/// Distribution.
actor RepositoryLocks {
    /// Waiters per locked repository; a present key means the lock is held.
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` holding `repository`'s lock.
    nonisolated func withLock<T: Sendable>(
        _ repository: String, _ body: () async throws -> T
    ) async throws -> T {
        await acquire(repository)
        do {
            let result = try await body()
            await release(repository)
            return result
        } catch {
            await release(repository)
            throw error
        }
    }

    private func acquire(_ repository: String) async {
        guard waiters[repository] != nil else {
            waiters[repository] = []
            return
        }
        await withCheckedContinuation { continuation in
            waiters[repository, default: []].append(continuation)
        }
    }

    private func release(_ repository: String) {
        guard var queue = waiters[repository] else { return }
        if queue.isEmpty {
            waiters[repository] = nil
        } else {
            let next = queue.removeFirst()
            waiters[repository] = queue
            next.resume()  // the lock passes straight to the next waiter
        }
    }
}
