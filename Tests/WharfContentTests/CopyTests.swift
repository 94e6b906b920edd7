import Foundation
import NIOCore
import Synchronization
import Testing
import WharfContent

@Suite("Graph copy")
struct CopyTests {
    @Test("copies an index with every manifest, config and layer, and tags the root")
    func copiesWholeGraph() async throws {
        let fixture = try GraphFixture()
        let source = MemoryStore()
        try await fixture.populate(source)
        let target = MemoryStore()
        let summary = try await copyGraph(from: source, root: "latest", to: target, as: "copied")
        #expect(summary.root == fixture.index)
        #expect(summary.transferred == fixture.blobs.count)
        for (descriptor, bytes) in fixture.blobs {
            #expect(try await target.fetch(descriptor).collect(upTo: 1 << 20) == ByteBuffer(bytes: bytes))
        }
        #expect(try await target.resolve("copied").digest == fixture.index.digest)
    }

    @Test("reports progress events: each blob once (shared layers too), bytes, and done last")
    func reportsProgress() async throws {
        let fixture = try GraphFixture()
        let source = MemoryStore()
        try await fixture.populate(source)
        let (events, reporter) = CopyProgress.makeStream()
        async let summary = copyGraph(
            from: source, root: "latest", to: MemoryStore(), options: CopyOptions(progress: reporter))
        var collected: [CopyEvent] = []
        for await event in events { collected.append(event) }
        let finished = try await summary
        let completed = collected.compactMap { if case .completed(let d) = $0 { d } else { nil } }
        #expect(completed.count == fixture.blobs.count)
        #expect(completed.filter { $0.digest == fixture.sharedLayer.digest }.count == 1)
        #expect(completed.last?.digest == fixture.index.digest, "the root is stored last")
        let sharedBytes = collected.compactMap { event -> Int64? in
            if case .transferred(let d, let bytes) = event, d.digest == fixture.sharedLayer.digest {
                bytes
            } else {
                nil
            }
        }
        #expect(sharedBytes.last == fixture.sharedLayer.size)
        guard case .done(let reported) = collected.last else {
            Issue.record("last event is not done: \(String(describing: collected.last))")
            return
        }
        #expect(reported == finished)
    }

    @Test("skips a graph the target already has, without fetching it")
    func skipsExisting() async throws {
        let fixture = try GraphFixture()
        let source = MemoryStore()
        try await fixture.populate(source)
        let target = MemoryStore()
        try await copyGraph(from: source, root: "latest", to: target)
        let counting = CountingStore(base: source)
        let again = try await copyGraph(from: counting, root: "latest", to: target)
        #expect(again.transferred == 0)
        #expect(again.skipped == 1)
        #expect(counting.fetches == 0)
    }

    @Test("never runs more transfers at once than the concurrency limit")
    func boundedConcurrency() async throws {
        let fixture = try GraphFixture()
        let source = MemoryStore()
        try await fixture.populate(source)
        let target = CountingStore(base: MemoryStore())
        try await copyGraph(from: source, root: "latest", to: target, options: CopyOptions(concurrency: 2))
        #expect(target.maximumConcurrentPushes <= 2)
        #expect(target.pushes == fixture.blobs.count)
    }

    @Test("fails when a source blob is corrupt, and the target keeps nothing of it")
    func corruptSourceFails() async throws {
        let fixture = try GraphFixture()
        let source = CorruptingStore(base: MemoryStore(), corrupt: fixture.sharedLayer.digest)
        try await fixture.populate(source.base)
        let target = MemoryStore()
        await #expect(throws: ContentError.self) {
            try await copyGraph(from: source, root: "latest", to: target)
        }
        #expect(await target.exists(fixture.sharedLayer) == false)
        #expect(await target.exists(fixture.index) == false)
        #expect(await target.exists(fixture.manifests[0]) == false)
    }
}

/// Wraps a store, counting fetches and pushes and the most pushes in flight at once.
final class CountingStore<Base: ContentTarget>: ContentTarget, Sendable {
    let base: Base
    private let state = Mutex((fetches: 0, pushes: 0, inFlight: 0, maximum: 0))

    init(base: Base) { self.base = base }

    var fetches: Int { state.withLock { $0.fetches } }
    var pushes: Int { state.withLock { $0.pushes } }
    var maximumConcurrentPushes: Int { state.withLock { $0.maximum } }

    func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        state.withLock { $0.fetches += 1 }
        return try await base.fetch(descriptor)
    }

    func exists(_ descriptor: Descriptor) async throws -> Bool { try await base.exists(descriptor) }

    func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        state.withLock {
            $0.pushes += 1
            $0.inFlight += 1
            $0.maximum = max($0.maximum, $0.inFlight)
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        // Yield so that concurrent pushes, if the copier allowed them, would overlap here.
        for _ in 0..<10 { await Task.yield() }
        try await base.push(descriptor, content: content)
    }

    func resolve(_ reference: String) async throws -> Descriptor { try await base.resolve(reference) }
    func tag(_ descriptor: Descriptor, as reference: String) async throws {
        try await base.tag(descriptor, as: reference)
    }
}

/// Serves one blob with a flipped byte, as a broken disk or a lying server would.
struct CorruptingStore: ContentTarget {
    let base: MemoryStore
    let corrupt: OCIDigest

    func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        let stream = try await base.fetch(descriptor)
        guard descriptor.digest == corrupt else { return stream }
        var bytes = try await stream.collect(upTo: 1 << 20)
        let value = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) ?? 0
        bytes.setInteger(value ^ 0xff, at: bytes.readerIndex)
        return ByteStream(bytes)
    }

    func exists(_ descriptor: Descriptor) async throws -> Bool { await base.exists(descriptor) }
    func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        try await base.push(descriptor, content: content)
    }
    func resolve(_ reference: String) async throws -> Descriptor { try await base.resolve(reference) }
    func tag(_ descriptor: Descriptor, as reference: String) async throws {
        try await base.tag(descriptor, as: reference)
    }
}
