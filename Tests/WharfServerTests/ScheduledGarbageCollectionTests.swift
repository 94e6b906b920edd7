import Logging
import NIOCore
import ServiceLifecycle
import Testing
import WharfContent
import WharfServer
import WharfStorage

@Suite("Scheduled garbage collection")
struct ScheduledGarbageCollectionTests {
    @Test("the service collects on its schedule and stops on graceful shutdown")
    func collectsOnSchedule() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let garbage = Array("nobody references this".utf8)
        let digest = DigestHasher.digest(of: garbage)
        try await store.repository("a").startUpload().commit(
            digest: digest, finalChunk: ByteStream(ByteBuffer(bytes: garbage)))
        let (reports, continuation) = AsyncStream<GarbageCollectionReport>.makeStream()
        let service = ScheduledGarbageCollection(
            store: store, interval: .milliseconds(20), options: GarbageCollectionOptions(grace: .zero)
        ) { report in continuation.yield(report) }
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var first: GarbageCollectionReport?
            for await report in reports {
                first = report
                break
            }
            #expect(first?.deletedBlobs == [digest])
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(try await store.repository("a").blob(digest) == nil)
    }
}
