import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

@Suite("Garbage collection")
struct GarbageCollectionTests {
    /// Uploads a blob that no manifest references.
    static func uploadGarbage(
        _ repository: RegistryRepository, seed: UInt8, size: Int = 3000
    ) async throws -> OCIDigest {
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
        let digest = DigestHasher.digest(of: bytes)
        try await repository.startUpload().commit(
            digest: digest, finalChunk: ByteStream(ByteBuffer(bytes: bytes)))
        return digest
    }

    @Test(
        "a dry run reports unreferenced blobs and the bytes they hold, and deletes nothing",
        arguments: DriverKind.allCases)
    func dryRun(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try kind.make(in: directory))
        let repository = try store.repository("a")
        try await ImageBuilder.random(layers: 2, size: 1000, seed: 1).push(to: repository, reference: "v1")
        let garbage = try await Self.uploadGarbage(repository, seed: 1)
        let report = try await GarbageCollector(store: store).run(.init(dryRun: true, grace: .zero))
        #expect(report.deletedBlobs == [garbage])
        #expect(report.bytesFreed == 3000)
        #expect(report.referencedBlobs == 4, "manifest, config and two layers")
        #expect(try await repository.readBlob(garbage).content.bytes().count == 3000, "still there")
    }

    @Test(
        "a run deletes unreferenced blobs and their links, and referenced content stays readable",
        arguments: DriverKind.allCases)
    func sweep(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try kind.make(in: directory))
        let repository = try store.repository("a")
        let image = ImageBuilder.random(layers: 2, size: 1000, seed: 2)
        try await image.push(to: repository, reference: "v1")
        let garbage = try await Self.uploadGarbage(repository, seed: 2)
        let report = try await GarbageCollector(store: store).run(.init(grace: .zero))
        #expect(report.deletedBlobs == [garbage])
        #expect(try await repository.blob(garbage) == nil, "no dangling link")
        #expect(try await store.driver.exists(RegistryLayout.layerLink("a", garbage)) == false)
        #expect(try await store.driver.exists(RegistryLayout.blobData(garbage)) == false)
        for (layer, bytes) in zip(image.layerDescriptors, image.layers) {
            #expect(try await repository.readBlob(layer.digest).content.bytes() == bytes)
        }
        #expect(try await repository.manifest("v1").descriptor == (try image.manifest().descriptor))
    }

    @Test("unreferenced blobs inside the grace window are kept")
    func graceWindow() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let garbage = try await Self.uploadGarbage(store.repository("a"), seed: 3)
        let report = try await GarbageCollector(store: store).run(.init(grace: .seconds(3600)))
        #expect(report.deletedBlobs.isEmpty)
        #expect(report.recentBlobsKept == 1)
        #expect(try await store.repository("a").blob(garbage) != nil)
    }

    @Test(
        "delete-untagged removes untagged manifests but keeps tagged indexes' children and referrers of kept manifests"
    )
    func deleteUntagged() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let repository = try store.repository("a")
        let tagged = try await ImageBuilder.random(layers: 1, size: 500, seed: 10).push(
            to: repository, reference: "v1")
        let untaggedImage = ImageBuilder.random(layers: 1, size: 500, seed: 11)
        let untagged = try await untaggedImage.push(to: repository)
        let childA = try await ImageBuilder.random(layers: 1, size: 500, seed: 12).push(to: repository)
        let childB = try await ImageBuilder.random(layers: 1, size: 500, seed: 13).push(to: repository)
        let index = try ManifestDocument(ImageIndex(manifests: [childA, childB]))
        try await repository.putManifest(
            ByteBuffer(bytes: index.bytes), mediaType: .ociIndex, reference: "multi")
        let signature = try await ImageBuilder.random(layers: 1, size: 100, seed: 14)
            .push(to: repository, subject: tagged, artifactType: "application/vnd.example.sig")

        let dry = try await GarbageCollector(store: store).run(
            .init(dryRun: true, deleteUntagged: true, grace: .zero))
        #expect(dry.deletedManifests.map(\.digest) == [untagged.digest])
        #expect(
            try await repository.manifest(untagged.digest.description).descriptor == untagged,
            "dry run keeps it")

        let report = try await GarbageCollector(store: store).run(.init(deleteUntagged: true, grace: .zero))
        #expect(report.deletedManifests == [.init(repository: "a", digest: untagged.digest)])
        #expect(
            Set(report.deletedBlobs)
                == Set(
                    [untagged.digest, untaggedImage.configDescriptor.digest]
                        + untaggedImage.layerDescriptors.map(\.digest)))
        for kept in [tagged, childA, childB, signature] {
            #expect(try await repository.manifest(kept.digest.description).descriptor.digest == kept.digest)
        }
        await #expect(throws: RegistryStoreError.self) {
            try await repository.manifest(untagged.digest.description)
        }
    }

    @Test(
        "GC running while pushes link new and old blobs never leaves a dangling link or loses a pushed blob")
    func concurrentPushAndCollect() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let garbageRepository = try store.repository("garbage")
        var uploaded: [OCIDigest] = []
        for seed in 0..<12 {
            uploaded.append(try await Self.uploadGarbage(garbageRepository, seed: UInt8(seed)))
        }
        let oldBlobs = uploaded
        // Age the old garbage (data and claims) past the grace window, as if uploaded hours ago.
        let longAgo = Date().addingTimeInterval(-7200)
        for digest in oldBlobs {
            for path in [try RegistryLayout.blobData(digest), try RegistryLayout.claim(digest)] {
                try FileManager.default.setAttributes(
                    [.modificationDate: longAgo], ofItemAtPath: root + path.rawValue)
            }
        }
        let pushes = 8
        let outcomes = try await withThrowingTaskGroup(of: (Descriptor?, [OCIDigest]).self) { group in
            for round in 0..<3 {
                group.addTask {
                    _ = try await GarbageCollector(store: store).run(
                        .init(deleteUntagged: round == 2, grace: .seconds(60)))
                    return (nil, [])
                }
            }
            for number in 0..<pushes {
                group.addTask {
                    let repository = try store.repository("push/\(number)")
                    // Half the pushes re-link an old, unreferenced blob: the dangerous case.
                    let reused = oldBlobs[number]
                    var layers: [Descriptor] = []
                    if number % 2 == 0,
                        let mounted = try await repository.mountBlob(reused, from: garbageRepository)
                    {
                        layers.append(
                            Descriptor(mediaType: .ociLayer, digest: mounted.digest, size: mounted.size))
                    }
                    let image = ImageBuilder.random(layers: 2, size: 20_000, seed: UInt64(100 + number))
                    for blob in [image.config] + image.layers {
                        try await repository.startUpload().commit(
                            digest: DigestHasher.digest(of: blob),
                            finalChunk: ByteStream(ByteBuffer(bytes: blob)))
                    }
                    let manifest = try ManifestDocument(
                        ImageManifest(config: image.configDescriptor, layers: layers + image.layerDescriptors)
                    )
                    do {
                        let document = try await repository.putManifest(
                            ByteBuffer(bytes: manifest.bytes), mediaType: .ociManifest, reference: "v1")
                        return (document.descriptor, layers.map(\.digest))
                    } catch RegistryStoreError.manifestBlobUnknown {
                        return (nil, [])  // a clean refusal is allowed; a dangling result is not
                    }
                }
            }
            var results: [(Descriptor?, [OCIDigest])] = []
            for try await outcome in group { results.append(outcome) }
            return results
        }
        var verifiedManifests = 0
        for number in 0..<pushes {
            let repository = try store.repository("push/\(number)")
            guard let (descriptor, bytes) = try? await repository.manifest("v1") else { continue }
            let manifest = try ImageManifest.decode(Data(bytes.readableBytesView))
            for blob in [manifest.config] + manifest.layers {
                // Throws if the blob is missing or corrupt.
                let content = try await repository.readBlob(blob.digest).content.bytes()
                #expect(Int64(content.count) == blob.size)
            }
            #expect(outcomes.contains { $0.0?.digest == descriptor.digest })
            verifiedManifests += 1
        }
        #expect(
            verifiedManifests == pushes, "with a grace window longer than the pushes, every push succeeds")
        // Once pushes are over, a final collection sweeps exactly the old blobs nobody re-linked.
        let final = try await GarbageCollector(store: store).run(.init(grace: .seconds(60)))
        let relinked = Set(outcomes.flatMap(\.1))
        let expectedSwept = Set(oldBlobs).subtracting(relinked)
        let sweptEarlier = Set(oldBlobs).filter { digest in
            !FileManager.default.fileExists(
                atPath: root + ((try? RegistryLayout.blobData(digest))?.rawValue ?? ""))
        }
        #expect(expectedSwept.isSubset(of: sweptEarlier.union(final.deletedBlobs)))
        for digest in relinked {
            #expect(
                FileManager.default.fileExists(atPath: root + (try RegistryLayout.blobData(digest)).rawValue),
                "re-linked \(digest) kept")
        }
    }
}
