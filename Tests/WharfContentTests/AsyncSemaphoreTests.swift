import Testing
import WharfContent

@Suite("The transfer semaphore")
struct AsyncSemaphoreTests {
    @Test(
        "a task cancelled while it waits for a permit stops waiting at once and takes no permit",
        .timeLimit(.minutes(5)))
    func cancelledWaiterLeaves() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.acquire()
        let waiter = Task { try await semaphore.acquire() }
        while await semaphore.waiting == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await semaphore.waiting == 0, "the cancelled waiter left the queue")
        // The permit held all along goes to the next waiter, not to the cancelled one.
        let next = Task { try await semaphore.acquire() }
        while await semaphore.waiting == 0 { await Task.yield() }
        await semaphore.release()
        try await next.value
    }

    @Test("permits go to waiters in order and are never more than the limit")
    func permitsInOrder() async throws {
        let semaphore = AsyncSemaphore(permits: 2)
        try await semaphore.acquire()
        try await semaphore.acquire()
        let order = Recorder()
        let first = Task {
            try await semaphore.acquire()
            await order.append(1)
        }
        while await semaphore.waiting < 1 { await Task.yield() }
        let second = Task {
            try await semaphore.acquire()
            await order.append(2)
        }
        while await semaphore.waiting < 2 { await Task.yield() }
        await semaphore.release()
        try await first.value
        await semaphore.release()
        try await second.value
        #expect(await order.values == [1, 2])
    }
}

private actor Recorder {
    var values: [Int] = []
    func append(_ value: Int) { values.append(value) }
}
