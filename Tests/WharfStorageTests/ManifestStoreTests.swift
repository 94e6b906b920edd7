import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

@Suite("Manifests, tags, referrers and the catalog")
struct ManifestStoreTests {
    @Test(
        "a manifest put by tag is served with its exact bytes by tag and by digest",
        arguments: DriverKind.allCases)
    func putAndGet(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let repository = try RegistryStore(driver: try kind.make(in: directory)).repository("library/app")
        let image = ImageBuilder.random(layers: 2, size: 5000, seed: 1)
        let descriptor = try await image.push(to: repository, reference: "v1")
        let expected = try image.manifest()
        #expect(descriptor == expected.descriptor)
        for reference in ["v1", descriptor.digest.description] {
            let (served, bytes) = try await repository.manifest(reference)
            #expect(Data(bytes.readableBytesView) == expected.bytes)
            #expect(served.mediaType == .ociManifest)
        }
    }

    @Test("a put by digest must match the bytes")
    func digestReferenceMustMatch() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let image = ImageBuilder.random(layers: 1, size: 100, seed: 2)
        try await image.push(to: repository)
        let bytes = ByteBuffer(bytes: try image.manifest().bytes)
        let other = DigestHasher.digest(of: Array("x".utf8))
        await #expect(
            throws: RegistryStoreError.digestInvalid(
                expected: other, actual: try image.manifest().descriptor.digest)
        ) {
            try await repository.putManifest(bytes, mediaType: .ociManifest, reference: other.description)
        }
        await #expect(throws: RegistryStoreError.self) {
            try await repository.putManifest(bytes, mediaType: .ociManifest, reference: "sha256:nothex")
        }
    }

    @Test("a manifest whose layer or config the repository lacks is refused, naming the blob")
    func missingReferencedBlob() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let image = ImageBuilder.random(layers: 2, size: 100, seed: 3)
        try await image.push(to: store.repository("other"))  // blobs exist, but in another repository
        let repository = try store.repository("a")
        let bytes = ByteBuffer(bytes: try image.manifest().bytes)
        await #expect(throws: RegistryStoreError.manifestBlobUnknown(image.configDescriptor.digest)) {
            try await repository.putManifest(bytes, mediaType: .ociManifest, reference: "v1")
        }
        #expect(try await repository.tags().isEmpty, "nothing tagged")
    }

    @Test("an index needs its child manifests in the repository")
    func indexChildrenMustExist() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let amd = ImageBuilder.random(layers: 1, size: 100, seed: 4)
        var arm = ImageBuilder.random(layers: 1, size: 100, seed: 5)
        arm.architecture = "arm64"
        let amdDescriptor = try await amd.push(to: repository)
        var armDescriptor = try arm.manifest().descriptor
        armDescriptor.platform = Platform(os: "linux", architecture: "arm64")
        let index = try ManifestDocument(ImageIndex(manifests: [amdDescriptor, armDescriptor]))
        await #expect(throws: RegistryStoreError.manifestBlobUnknown(armDescriptor.digest)) {
            try await repository.putManifest(
                ByteBuffer(bytes: index.bytes), mediaType: .ociIndex, reference: "multi")
        }
        try await arm.push(to: repository)
        let stored = try await repository.putManifest(
            ByteBuffer(bytes: index.bytes), mediaType: .ociIndex, reference: "multi")
        #expect(stored.descriptor.mediaType == .ociIndex)
    }

    @Test("invalid and oversized manifests are refused with manifest errors")
    func invalidManifests() async throws {
        let repository = try RegistryStore(
            driver: InMemoryDriver(), options: RegistryStoreOptions(manifestSizeLimit: 1000)
        )
        .repository("a")
        for (body, type) in [
            ("{not json", OCIMediaType.ociManifest), (#"{"schemaVersion":1}"#, .ociManifest),
            (#"{"schemaVersion":2,"manifests":[]}"#, .ociManifest),
        ] {
            await #expect(throws: RegistryStoreError.self, "\(body)") {
                try await repository.putManifest(ByteBuffer(string: body), mediaType: type, reference: "t")
            }
        }
        await #expect(throws: RegistryStoreError.manifestTooLarge(limit: 1000)) {
            try await repository.putManifest(
                ByteBuffer(repeating: 0x20, count: 1001), mediaType: .ociManifest, reference: "t")
        }
        await #expect(throws: RegistryStoreError.self) {
            try await repository.putManifest(
                ByteBuffer(string: "{}"), mediaType: .ociManifest, reference: "-bad-tag")
        }
    }

    @Test("tags list in order with pagination; deleting a tag keeps the manifest")
    func tagsAndPagination() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let image = ImageBuilder.random(layers: 1, size: 100, seed: 6)
        let descriptor = try await image.push(to: repository)
        for tag in ["v10", "v2", "latest", "v1", "A", "_x"] {
            try await repository.setTag(tag, to: descriptor.digest)
        }
        #expect(try await repository.tags() == ["A", "_x", "latest", "v1", "v10", "v2"])
        #expect(try await repository.tags(limit: 2) == ["A", "_x"])
        #expect(try await repository.tags(limit: 2, after: "_x") == ["latest", "v1"])
        #expect(try await repository.tags(limit: 10, after: "v10") == ["v2"])
        #expect(try await repository.tags(limit: 0).isEmpty)
        try await repository.deleteTag("v1")
        #expect(try await !repository.tags().contains("v1"))
        #expect(try await repository.manifest(descriptor.digest.description).descriptor == descriptor)
        await #expect(throws: RegistryStoreError.manifestUnknown("v1")) {
            try await repository.manifest("v1")
        }
    }

    @Test("deleting a manifest removes it and every tag pointing at it")
    func deleteManifest() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let image = ImageBuilder.random(layers: 1, size: 100, seed: 7)
        let descriptor = try await image.push(to: repository, reference: "v1")
        try await repository.setTag("v2", to: descriptor.digest)
        try await repository.deleteManifest(descriptor.digest)
        #expect(try await repository.tags().isEmpty)
        await #expect(throws: RegistryStoreError.manifestUnknown(descriptor.digest.description)) {
            try await repository.manifest(descriptor.digest.description)
        }
        await #expect(throws: RegistryStoreError.manifestUnknown(descriptor.digest.description)) {
            try await repository.deleteManifest(descriptor.digest)
        }
    }

    @Test("referrers are indexed on put (subject need not exist), filtered by type, and dropped on delete")
    func referrersIndex() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let subject = try await ImageBuilder.random(layers: 1, size: 100, seed: 8).push(
            to: repository, reference: "v1")
        let sbom = try await ImageBuilder.random(layers: 1, size: 50, seed: 9)
            .push(to: repository, subject: subject, artifactType: "application/spdx+json")
        let signature = try await ImageBuilder.random(layers: 1, size: 50, seed: 10)
            .push(
                to: repository, subject: subject,
                artifactType: "application/vnd.dev.cosign.artifact.sig.v1+json")
        let all = try await repository.referrers(of: subject.digest)
        #expect(Set(all.map(\.digest)) == [sbom.digest, signature.digest])
        #expect(all.first { $0.digest == sbom.digest }?.artifactType == "application/spdx+json")
        #expect(
            try await repository.referrers(of: subject.digest, artifactType: "application/spdx+json").map(
                \.digest) == [sbom.digest])
        let missingSubject = Descriptor(mediaType: .ociManifest, bytes: Array("absent".utf8))
        let orphan = try await ImageBuilder.random(layers: 1, size: 10, seed: 11).push(
            to: repository, subject: missingSubject)
        #expect(try await repository.referrers(of: missingSubject.digest).map(\.digest) == [orphan.digest])
        try await repository.deleteManifest(sbom.digest)
        #expect(try await repository.referrers(of: subject.digest).map(\.digest) == [signature.digest])
        #expect(try await repository.referrers(of: DigestHasher.digest(of: [0])).isEmpty)
    }

    @Test(
        "the catalog lists repositories with manifests, in order, with pagination",
        arguments: DriverKind.allCases)
    func catalog(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try kind.make(in: directory))
        let image = ImageBuilder.random(layers: 1, size: 10, seed: 12)
        for name in ["b", "a/x", "a", "a-b", "c/d/e"] {
            try await image.push(to: store.repository(name), reference: "t")
        }
        _ = try await store.repository("uploads-only").startUpload()
        #expect(try await store.catalog() == ["a", "a/x", "a-b", "b", "c/d/e"])
        #expect(try await store.catalog(limit: 2) == ["a", "a/x"])
        #expect(try await store.catalog(limit: 2, after: "a/x") == ["a-b", "b"])
        #expect(try await store.catalog(limit: 5, after: "b") == ["c/d/e"])
        #expect(try await store.catalog(limit: 0).isEmpty)
    }

    @Test(
        "repository names outside the grammar are refused",
        arguments: [
            "", "A", "../x", "a//b", "_manifests", "a/_layers", "a/", String(repeating: "a", count: 256),
        ])
    func invalidNames(name: String) {
        #expect(throws: RegistryStoreError.self) {
            try RegistryStore(driver: InMemoryDriver()).repository(name)
        }
    }

    @Test("a repository is a content store that copy can fill from an OCI layout and read back")
    func repositoryAsContentStore() async throws {
        let source = MemoryStore()
        let image = ImageBuilder.random(layers: 3, size: 20_000, seed: 13)
        for (descriptor, bytes) in zip(
            [image.configDescriptor] + image.layerDescriptors, [image.config] + image.layers)
        {
            try await source.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        }
        let manifest = try image.manifest()
        try await source.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        try await source.tag(manifest.descriptor, as: "v1")
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("copied")
        try await copyGraph(from: source, root: "v1", to: repository)
        #expect(try await repository.resolve("v1").digest == manifest.descriptor.digest)
        let back = MemoryStore()
        let summary = try await copyGraph(from: repository, root: "v1", to: back)
        #expect(summary.transferred == 5)
    }
}
