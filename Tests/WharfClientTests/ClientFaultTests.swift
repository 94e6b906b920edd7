import Foundation
import NIOCore
import Testing
import WharfClient
import WharfContent
import WharfImage
import WharfServer
import WharfStorage
import WharfTestSupport

@Suite("Client under faults: dropped connections, rate limits, corrupt bytes")
struct ClientFaultTests {
    /// A registry with one image whose layer is `size` random bytes.
    static func seeded(size: Int) async throws -> (RegistryStore, TestImage) {
        let store = RegistryStore(driver: InMemoryDriver())
        var generator = SeededGenerator(seed: UInt64(size))
        let image = try TestImage(layers: [
            (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        ])
        try await withWharf(store: store) { address in
            try await image.push(to: try testClient(address).repository("fault/app"), tags: ["v1"])
        }
        return (store, image)
    }

    @Test("a download cut off mid-blob by a proxy resumes with a Range request and ends with the right bytes")
    func resumesAfterDrop() async throws {
        let (store, image) = try await Self.seeded(size: 2_000_000)
        let responder = FaultInjectingResponder(store: store, fault: .none)
        try await withServer(responder) { upstream in
            let proxy = try DroppingProxy(upstream: upstream, dropAfter: 700_000)
            defer { proxy.stop() }
            let repository = try testClient(proxy.address).repository("fault/app")
            let bytes = try await repository.fetch(image.layerDescriptors[0]).collect(upTo: 4 << 20)
            #expect(Array(bytes.readableBytesView) == image.layers[0])
            #expect(proxy.droppedConnections == 1)
        }
        let ranged = responder.log.all.filter { $0.contains("/blobs/") && $0.contains("bytes=") }
        #expect(ranged.count == 1, "the client resumed once with a Range request: \(responder.log.all)")
        #expect(
            ranged.allSatisfy { !$0.hasSuffix("bytes=0-") }, "it resumed from where it was cut, not from zero"
        )
    }

    @Test("429 with Retry-After is waited out and retried")
    func retriesRateLimits() async throws {
        let (store, image) = try await Self.seeded(size: 1000)
        let responder = FaultInjectingResponder(
            store: store, fault: .tooManyRequests(count: 2, retryAfterSeconds: 1))
        try await withServer(responder) { address in
            let repository = try testClient(address).repository("fault/app")
            let clock = ContinuousClock()
            let started = clock.now
            let resolved = try await repository.resolve("v1")
            #expect(resolved.digest == image.manifestDescriptor.digest)
            #expect(clock.now - started >= .seconds(2), "two Retry-After: 1 waits")
        }
        #expect(responder.log.count(matching: "/manifests/v1") == 3)
        // Without retries the same registry's 429 reaches the caller, typed.
        let strict = FaultInjectingResponder(
            store: store, fault: .tooManyRequests(count: 1, retryAfterSeconds: 1))
        try await withServer(strict) { address in
            let repository = try testClient(address) { $0.retry = .none }.repository("fault/app")
            await #expect {
                _ = try await repository.fetch(image.manifestDescriptor).collect(upTo: 1 << 20)
            } throws: { error in
                let error = error as? RegistryClientError
                return error?.status == 429 && error?.codes == ["TOOMANYREQUESTS"]
                    && error?.isRetryable == true
                    && error?.retryAfter == .seconds(1)
            }
        }
    }

    @Test("a blob whose bytes do not match its digest fails the fetch and is not written")
    func rejectsCorruptBlobs() async throws {
        let (store, image) = try await Self.seeded(size: 50_000)
        let directory = try TemporaryDirectory()
        let layoutPath = directory.appending("layout")
        try await withServer(FaultInjectingResponder(store: store, fault: .corruptBlobs)) { address in
            let repository = try testClient(address).repository("fault/app")
            await #expect(throws: ContentError.self) {
                _ = try await repository.fetch(image.layerDescriptors[0]).collect(upTo: 1 << 20)
            }
            let layout = try await OCILayoutStore(root: layoutPath)
            await #expect(throws: (any Error).self) {
                try await copyGraph(from: repository, root: "v1", to: layout)
            }
            #expect(!(try await layout.exists(image.layerDescriptors[0])))
            #expect(!(try await layout.exists(image.configDescriptor)))
        }
    }
}

@Suite("Chunked pushes")
struct ChunkedPushTests {
    @Test("chunks grow to the registry's OCI-Chunk-Min-Length, all but the last")
    func honoursMinimumChunkLength() async throws {
        let responder = FaultInjectingResponder(
            store: RegistryStore(driver: InMemoryDriver()),
            options: RegistryServerOptions(minimumChunkLength: 300_000),
            fault: .none)
        var generator = SeededGenerator(seed: 99)
        let blob = (0..<1_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let descriptor = Descriptor(mediaType: .ociLayer, bytes: blob)
        try await withServer(responder) { address in
            let repository = try testClient(address) {
                $0.monolithicPushLimit = 0
                $0.chunkSize = 100_000
            }.repository("chunks/app")
            #expect(
                try await repository.pushBlob(descriptor, content: ByteStream(ByteBuffer(bytes: blob)))
                    == .uploaded)
            #expect(
                Array(try await repository.fetch(descriptor).collect(upTo: 2 << 20).readableBytesView) == blob
            )
        }
        let ranges = responder.log.all.compactMap { line -> ClosedRange<Int>? in
            guard line.hasPrefix("PATCH"), let range = line.split(separator: "=").last else { return nil }
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            return bounds.count == 2 ? bounds[0]...bounds[1] : nil
        }
        #expect(ranges == [0...299_999, 300_000...599_999, 600_000...899_999, 900_000...999_999])
    }
}

@Suite("Copy request economy")
struct CopyRequestTests {
    @Test("a copy into a registry stores and tags its root with one PUT by tag, as other clients do")
    func rootPushedByTag() async throws {
        let image = try TestImage(layers: [
            Array(repeating: 7, count: 5_000), Array(repeating: 9, count: 3_000),
        ])
        let source = MemoryStore()
        for (descriptor, bytes) in zip(image.layerDescriptors, image.layers) {
            try await source.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        }
        try await source.push(
            image.configDescriptor, content: ByteStream(ByteBuffer(bytes: image.configBytes)))
        try await source.push(
            image.manifestDescriptor, content: ByteStream(ByteBuffer(bytes: image.manifestBytes)))
        let responder = FaultInjectingResponder(store: RegistryStore(driver: InMemoryDriver()), fault: .none)
        try await withServer(responder) { address in
            let repository = try testClient(address).repository("copy/app")
            try await copyGraph(
                from: source, root: .descriptor(image.manifestDescriptor), to: repository, as: "v1")
            let manifestRequests = responder.log.all.filter {
                $0.contains("/manifests/") && !$0.hasPrefix("HEAD")
            }
            #expect(
                manifestRequests == ["PUT /v2/copy/app/manifests/v1"],
                "one PUT by tag, no PUT by digest and no GET back: \(responder.log.all)")
            let stored = try await repository.resolve("v1")
            #expect(stored.digest == image.manifestDescriptor.digest)
            let bytes = try await repository.fetch(stored).collect(upTo: 1 << 20)
            #expect(Array(bytes.readableBytesView) == image.manifestBytes)
        }
    }
}
