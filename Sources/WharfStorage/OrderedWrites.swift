import NIOCore

/// Writes buffers to a file writer strictly in order, keeping up to `depth` of them in
/// flight, so that the caller can go on (hashing the next batch) while earlier ones reach
/// the file. A failed write fails every later one and the next call.
final class OrderedWrites {
    private let writer: any StorageFileWriter
    private let depth: Int
    private var pending: [Task<Void, any Error>] = []

    init(writer: any StorageFileWriter, depth: Int) {
        self.writer = writer
        self.depth = max(1, depth)
    }

    /// Queues `bytes` after everything queued before; waits only when `depth` writes are
    /// already in flight.
    func enqueue(_ bytes: ByteBuffer) async throws {
        let previous = pending.last
        let writer = self.writer
        pending.append(
            Task {
                // Each write starts only after the one before it finished: appends in order.
                try await previous?.value
                try await writer.write(bytes)
            })
        while pending.count > depth {
            try await pending.removeFirst().value
        }
    }

    /// Waits for every queued write; throws the first failure.
    func finish() async throws {
        var failure: (any Error)?
        while !pending.isEmpty {
            do {
                try await pending.removeFirst().value
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }
}
