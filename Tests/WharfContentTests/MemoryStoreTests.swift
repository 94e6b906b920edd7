import Foundation
import NIOCore
import Testing
import WharfContent

@Suite("Memory store")
struct MemoryStoreTests {
    @Test("stores verified content and resolves it by tag and by digest")
    func pushResolveFetch() async throws {
        let store = MemoryStore()
        let bytes = Array("content".utf8)
        let descriptor = Descriptor(mediaType: "application/octet-stream", bytes: bytes)
        try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        try await store.tag(descriptor, as: "v1")
        #expect(try await store.resolve("v1") == descriptor)
        #expect(try await store.resolve(descriptor.digest.description).digest == descriptor.digest)
        #expect(try await store.fetch(descriptor).collect(upTo: 100) == ByteBuffer(bytes: bytes))
        #expect(try await store.tags() == ["v1"])
    }

    @Test("rejects bytes that do not match the descriptor and stores nothing")
    func rejectsMismatch() async throws {
        let store = MemoryStore()
        let descriptor = Descriptor(mediaType: "application/octet-stream", bytes: Array("expected".utf8))
        await #expect(throws: ContentError.self) {
            try await store.push(descriptor, content: ByteStream(ByteBuffer(string: "tampered")))
        }
        #expect(await store.exists(descriptor) == false)
        await #expect(throws: ContentError.notFound(descriptor.digest)) { try await store.fetch(descriptor) }
    }

    @Test("tracks referrers of pushed manifests with their artifact type, and forgets them on delete")
    func referrers() async throws {
        let store = MemoryStore()
        let fixture = try GraphFixture()
        try await fixture.populate(store)
        let subject = fixture.manifests[0]
        let manifest = Array(
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.example.sbom",
             "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\(Descriptor.empty.digest)","size":2},
             "layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\(subject.digest)","size":\(subject.size)},
             "annotations":{"k":"v"}}
            """.utf8)
        let referrer = Descriptor(mediaType: .ociManifest, bytes: manifest)
        try await store.push(referrer, content: ByteStream(ByteBuffer(bytes: manifest)))
        let found = try await store.referrers(of: subject, artifactType: nil)
        #expect(found.map(\.digest) == [referrer.digest])
        #expect(found.first?.artifactType == "application/vnd.example.sbom")
        #expect(found.first?.annotations == ["k": "v"])
        #expect(try await store.referrers(of: subject, artifactType: "application/other").isEmpty)
        try await store.delete(referrer)
        #expect(try await store.referrers(of: subject, artifactType: nil).isEmpty)
    }
}
