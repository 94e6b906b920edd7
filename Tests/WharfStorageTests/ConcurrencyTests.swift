import Foundation
import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("Concurrent use of one storage root")
struct ConcurrencyTests {
    @Test(
        "many concurrent uploads of the same and of different blobs all land intact",
        arguments: DriverKind.allCases)
    func concurrentUploads(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let driver = try kind.make(in: directory)
        // Two store instances on one driver stand in for two registry processes.
        let stores = [RegistryStore(driver: driver), RegistryStore(driver: driver)]
        // Large enough for the filesystem driver's direct-I/O path (appends of 64 KiB and
        // more), split at an unaligned offset, and without a short period, so a block
        // written at the wrong place by one of the concurrent writers would show.
        let blobs = (0..<6).map { seed in
            var generator = SeededGenerator(seed: UInt64(seed))
            return (0..<1_300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let split = 300_001
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<24 {
                group.addTask {
                    let bytes = blobs[writer % blobs.count]
                    let repository = try stores[writer % 2].repository("repo\((writer / 6) % 3)")
                    let upload = try await repository.startUpload()
                    try await upload.append(
                        ByteStream(ByteBuffer(bytes: bytes[..<split])), expectedOffset: 0)
                    try await upload.commit(
                        digest: DigestHasher.digest(of: bytes),
                        finalChunk: ByteStream(ByteBuffer(bytes: bytes[split...])),
                        expectedOffset: Int64(split))
                }
            }
            try await group.waitForAll()
        }
        for bytes in blobs {
            for repository in 0..<3 {
                let digest = DigestHasher.digest(of: bytes)
                let repo = try stores[0].repository("repo\(repository)")
                guard try await repo.blob(digest) != nil else { continue }
                #expect(try await repo.readBlob(digest).content.bytes() == bytes)
            }
        }
        var linked = 0
        for repository in 0..<3 {
            for bytes in blobs
            where try await stores[1].repository("repo\(repository)").blob(DigestHasher.digest(of: bytes))
                != nil
            {
                linked += 1
            }
        }
        #expect(
            linked == 18,
            "every blob is linked into all three repositories (24 writers: 6 blobs x 4 rounds over 3 repositories)"
        )
    }

    @Test("concurrent tag updates lose no tag, and each tag points at a manifest that was put")
    func concurrentTags() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let repository = try store.repository("tags")
        var manifests: [Descriptor] = []
        for seed in 0..<4 {
            manifests.append(
                try await ImageBuilder.random(layers: 1, size: 100, seed: UInt64(seed)).push(to: repository))
        }
        let candidates = Set(manifests.map(\.digest))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<40 {
                group.addTask { [manifests] in
                    try await repository.setTag(
                        "t\(number % 10)", to: manifests[number % manifests.count].digest)
                }
            }
            try await group.waitForAll()
        }
        let tags = try await repository.tags()
        #expect(tags.count == 10)
        for tag in tags {
            let target = try #require(try await repository.tagTarget(tag))
            #expect(candidates.contains(target))
        }
    }
}
