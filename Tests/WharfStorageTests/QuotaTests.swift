import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

@Suite("Usage accounting and quotas")
struct QuotaTests {
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ seed) }
    }

    static func upload(_ bytes: [UInt8], to repository: RegistryRepository) async throws -> Descriptor {
        try await repository.startUpload().commit(
            digest: DigestHasher.digest(of: bytes), finalChunk: ByteStream(ByteBuffer(bytes: bytes)))
    }

    @Test("usage counts each distinct blob and manifest once per repository and per namespace")
    func accounting() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let shared = Self.bytes(1000, seed: 1)
        _ = try await Self.upload(shared, to: store.repository("team/a"))
        _ = try await Self.upload(shared, to: store.repository("team/a"))  // again: no change
        _ = try await Self.upload(shared, to: store.repository("team/b"))
        _ = try await Self.upload(Self.bytes(500, seed: 2), to: store.repository("team/b"))
        _ = try await Self.upload(Self.bytes(700, seed: 3), to: store.repository("other"))
        #expect(try await store.usage(ofRepository: "team/a").bytes == 1000)
        #expect(try await store.usage(ofRepository: "team/b").bytes == 1500)
        #expect(try await store.usage(ofNamespace: "team").bytes == 1500, "the shared blob counts once")
        #expect(try await store.usage(ofNamespace: "team").objects == 2)
        #expect(try await store.usage(ofNamespace: "other").bytes == 700)
        #expect(try await store.usage(ofNamespace: "nobody").bytes == 0)
    }

    @Test("an upload past the repository quota is denied and leaves nothing behind")
    func repositoryQuota() async throws {
        let store = RegistryStore(
            driver: InMemoryDriver(), options: .init(quotas: QuotaPolicy(defaultRepositoryLimit: 1500)))
        let repository = try store.repository("a")
        _ = try await Self.upload(Self.bytes(1000, seed: 1), to: repository)
        let second = Self.bytes(1000, seed: 2)
        let upload = try await repository.startUpload()
        await #expect {
            try await upload.commit(
                digest: DigestHasher.digest(of: second), finalChunk: ByteStream(ByteBuffer(bytes: second)))
        } throws: { error in
            guard case RegistryStoreError.denied(let reason) = error else { return false }
            return reason.contains("quota exceeded") && (error as? RegistryStoreError)?.code == "DENIED"
        }
        #expect(try await repository.blob(DigestHasher.digest(of: second)) == nil)
        #expect(
            try await store.driver.exists(RegistryLayout.blobData(DigestHasher.digest(of: second))) == false)
        await #expect(throws: RegistryStoreError.blobUploadUnknown(upload.id)) { try await upload.offset() }
        #expect(try await store.usage(ofRepository: "a").bytes == 1000)
        // Re-uploading a blob the repository already has costs nothing and is allowed.
        _ = try await Self.upload(Self.bytes(1000, seed: 1), to: repository)
    }

    @Test("the namespace quota covers all its repositories; mounts and manifests are checked too")
    func namespaceQuota() async throws {
        let store = RegistryStore(
            driver: InMemoryDriver(), options: .init(quotas: QuotaPolicy(namespaceLimits: ["team": 2500])))
        let first = Self.bytes(1000, seed: 1)
        _ = try await Self.upload(first, to: store.repository("team/a"))
        _ = try await Self.upload(Self.bytes(1000, seed: 2), to: store.repository("team/b"))
        // A mount of a blob the namespace already counts is free.
        #expect(
            try await store.repository("team/c").mountBlob(
                DigestHasher.digest(of: first), from: store.repository("team/a")) != nil)
        let outside = Self.bytes(1000, seed: 3)
        _ = try await Self.upload(outside, to: store.repository("elsewhere"))
        await #expect(throws: RegistryStoreError.self) {
            try await store.repository("team/c").mountBlob(
                DigestHasher.digest(of: outside), from: store.repository("elsewhere"))
        }
        #expect(try await store.repository("team/c").blob(DigestHasher.digest(of: outside)) == nil)
        // A manifest whose own bytes would pass the limit is refused and not stored.
        let image = ImageBuilder(layers: [first])
        _ = try await Self.upload(image.config, to: store.repository("team/a"))
        let manifest = ImageManifest(
            config: image.configDescriptor, layers: image.layerDescriptors,
            annotations: ["padding": String(repeating: "x", count: 600)])
        let document = try ManifestDocument(manifest)
        await #expect(throws: RegistryStoreError.self) {
            try await store.repository("team/a").putManifest(
                ByteBuffer(bytes: document.bytes), mediaType: .ociManifest, reference: "v1")
        }
        #expect(try await store.repository("team/a").tags().isEmpty)
        #expect(try await store.usage(ofNamespace: "team").bytes <= 2500)
    }

    @Test("a chunk that would pass the quota is refused while streaming, before the commit")
    func quotaDuringAppend() async throws {
        let store = RegistryStore(
            driver: InMemoryDriver(), options: .init(quotas: QuotaPolicy(defaultRepositoryLimit: 1000)))
        let repository = try store.repository("a")
        let upload = try await repository.startUpload()
        try await upload.append(ByteStream(ByteBuffer(bytes: Self.bytes(800, seed: 1))))
        await #expect(throws: RegistryStoreError.self) {
            try await upload.append(ByteStream(ByteBuffer(bytes: Self.bytes(800, seed: 2))))
        }
        await #expect(throws: RegistryStoreError.blobUploadUnknown(upload.id)) { try await upload.offset() }
    }

    @Test("concurrent commits against one quota never pass it together, and deletes give the room back")
    func concurrentCommits() async throws {
        let store = RegistryStore(
            driver: InMemoryDriver(), options: .init(quotas: QuotaPolicy(defaultRepositoryLimit: 3500)))
        let repository = try store.repository("team/app")
        let blobs = (0..<8).map { Self.bytes(1000, seed: 100 + $0) }
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for blob in blobs {
                group.addTask {
                    do {
                        _ = try await Self.upload(blob, to: repository)
                        return true
                    } catch RegistryStoreError.denied {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 3, "exactly three 1000-byte blobs fit in 3500 bytes")
        #expect(try await store.usage(ofRepository: "team/app").bytes == 3000)

        let linked = try await blobs.asyncFilter {
            try await repository.blob(DigestHasher.digest(of: $0)) != nil
        }
        #expect(linked.count == 3)
        try await repository.deleteBlob(DigestHasher.digest(of: linked[0]))
        let unlinked = try #require(blobs.first { blob in !linked.contains(blob) })
        _ = try await Self.upload(unlinked, to: repository)
        #expect(
            try await store.usage(ofRepository: "team/app").bytes == 3000,
            "the deleted blob's room was reused")
    }
}

extension Array {
    func asyncFilter(_ isIncluded: (Element) async throws -> Bool) async rethrows -> [Element] {
        var result: [Element] = []
        for element in self where try await isIncluded(element) { result.append(element) }
        return result
    }
}
