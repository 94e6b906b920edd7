import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

@Suite("Immutable tags")
struct TagImmutabilityTests {
    static let rules = TagImmutability(rules: [
        ImmutableTagRule(repositories: "prod/**", tags: ["v*", "release-*"], exclude: ["*-rc*"])
    ])

    static func store(_ kind: DriverKind, in directory: borrowing TemporaryDirectory) throws -> RegistryStore
    {
        var options = RegistryStoreOptions()
        options.immutableTags = rules
        return RegistryStore(driver: try kind.make(in: directory), options: options)
    }

    static func immutable(_ tag: String, in repository: String) -> RegistryStoreError {
        .tagImmutable(tag, repository: repository, rule: rules.rules[0].description)
    }

    @Test("glob patterns: * stays in a path component, ** crosses them, ? is one character")
    func globs() {
        #expect(GlobPattern("v*").matches("v1.2.3"))
        #expect(!GlobPattern("v*").matches("1.0"))
        #expect(GlobPattern("*-rc*").matches("v1.0-rc1"))
        #expect(GlobPattern("prod/**").matches("prod/team/app"))
        #expect(!GlobPattern("prod/*").matches("prod/team/app"))
        #expect(GlobPattern("prod/*").matches("prod/app"))
        #expect(GlobPattern("v?").matches("v1") && !GlobPattern("v?").matches("v10"))
        #expect(!GlobPattern("prod/**").matches("production/app"))
        // Linear matching: a hostile name against many stars answers at once.
        #expect(
            !GlobPattern(String(repeating: "*a", count: 200)).matches(
                String(repeating: "a", count: 5000) + "b"))
    }

    @Test(
        "a protected tag that exists cannot be moved, deleted, or have its manifest deleted; the same push again is accepted",
        arguments: DriverKind.allCases)
    func protectedTag(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.store(kind, in: directory).repository("prod/app")
        let first = ImageBuilder.random(layers: 1, size: 300, seed: 1)
        let second = ImageBuilder.random(layers: 1, size: 300, seed: 2)
        let released = try await first.push(to: repository, reference: "v1")
        // CI retries: pushing the manifest the tag already names is fine.
        #expect(try await first.push(to: repository, reference: "v1") == released)

        await #expect(throws: Self.immutable("v1", in: "prod/app")) {
            try await second.push(to: repository, reference: "v1")
        }
        // The refused push stored nothing: the other manifest is not in the repository.
        let other = try second.manifest().descriptor.digest
        await #expect(throws: RegistryStoreError.manifestUnknown(other.description)) {
            try await repository.manifest(.digest(other))
        }
        await #expect(throws: Self.immutable("v1", in: "prod/app")) { try await repository.deleteTag("v1") }
        await #expect(throws: Self.immutable("v1", in: "prod/app")) {
            try await repository.deleteManifest(released.digest)
        }
        let moved = try await second.push(to: repository)
        await #expect(throws: Self.immutable("v1", in: "prod/app")) {
            try await repository.setTag("v1", to: moved.digest)
        }
        #expect(try await repository.tagTarget("v1") == released.digest)
        #expect(try await repository.manifest("v1").descriptor == released)
    }

    @Test("new protected tags can be created; excluded, unprotected and uncovered tags stay mutable")
    func mutableTags() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(.inMemory, in: directory)
        let repository = try store.repository("prod/app")
        let first = ImageBuilder.random(layers: 1, size: 300, seed: 3)
        let second = ImageBuilder.random(layers: 1, size: 300, seed: 4)
        let one = try await first.push(to: repository, reference: "latest")
        let two = try await second.push(to: repository, reference: "v2")  // a fresh protected tag
        for tag in ["latest", "v2.0-rc1", "nightly"] {
            try await repository.setTag(tag, to: one.digest)
            try await repository.setTag(tag, to: two.digest)
            try await repository.deleteTag(tag)
        }
        // Outside prod/**, v* moves freely.
        let staging = try store.repository("staging/app")
        try await first.push(to: staging, reference: "v1")
        try await second.push(to: staging, reference: "v1")
        try await staging.deleteManifest(try second.manifest().descriptor.digest)
        #expect(try await staging.tags().isEmpty)
    }

    @Test("a push with extra ?tag= tags checks every tag before storing anything")
    func extraTags() async throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.store(.inMemory, in: directory).repository("prod/app")
        let first = ImageBuilder.random(layers: 1, size: 300, seed: 5)
        let second = ImageBuilder.random(layers: 1, size: 300, seed: 6)
        try await first.push(to: repository, reference: "release-1")
        try await second.push(to: repository)
        let document = try second.manifest()
        await #expect(throws: Self.immutable("release-1", in: "prod/app")) {
            try await repository.putManifest(
                ByteBuffer(bytes: document.bytes), mediaType: .ociManifest, reference: .tag("candidate"),
                additionalTags: ["release-1"])
        }
        #expect(try await repository.tags() == ["release-1"])
    }

    @Test("an SDK copy onto a protected tag is refused like a push")
    func copyIsEnforced() async throws {
        let directory = try TemporaryDirectory()
        let repository = try Self.store(.fileSystem, in: directory).repository("prod/app")
        let source = MemoryStore()
        for (seed, tag) in [(7, "a"), (8, "b")] {
            let image = ImageBuilder.random(layers: 1, size: 300, seed: UInt64(seed))
            for blob in [image.config] + image.layers {
                try await source.push(
                    Descriptor(mediaType: .ociLayer, bytes: blob),
                    content: ByteStream(ByteBuffer(bytes: blob)))
            }
            let manifest = try image.manifest()
            try await source.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
            try await source.tag(manifest.descriptor, as: tag)
        }
        try await copyGraph(from: source, root: "a", to: repository, as: "v1")
        await #expect(throws: Self.immutable("v1", in: "prod/app")) {
            try await copyGraph(from: source, root: "b", to: repository, as: "v1")
        }
        #expect(try await repository.resolve("v1") == (try await source.resolve("a")))
    }
}
