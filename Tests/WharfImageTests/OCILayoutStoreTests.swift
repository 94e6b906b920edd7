import Foundation
import NIOCore
import Testing
import WharfImage
import WharfTestSupport

@Suite("OCI layout store")
struct OCILayoutStoreTests {
    /// Reads every manifest and config reachable from every tag and verifies every blob.
    static func verifyWholeLayout(_ store: OCILayoutStore) async throws -> (manifests: Int, blobs: Int) {
        var manifests = 0
        var blobs = 0
        for tag in try await store.tags() {
            let descriptor = try await store.resolve(tag)
            let bytes = try await store.fetch(descriptor).collect(upTo: 4 << 20)
            let document = try ManifestDocument(
                bytes: Data(bytes.readableBytesView), mediaType: descriptor.mediaType)
            #expect(document.descriptor.digest == descriptor.digest)
            manifests += 1
            guard let manifest = document.manifest else { continue }
            let configBytes = try await store.fetch(manifest.config).collect(upTo: 4 << 20)
            let configuration = try ImageConfiguration.decode(Data(configBytes.readableBytesView))
            #expect(configuration.rootfs.diffIDs.count == manifest.layers.count)
            for layer in manifest.layers {
                // Draining a fetch verifies size and digest as the bytes stream.
                for try await _ in try await store.fetch(layer) {}
                blobs += 1
            }
        }
        return (manifests, blobs)
    }

    @Test(
        "reads a layout made by umoci: every manifest, config and layer decodes and verifies",
        .tags(.interop), .enabled(if: ExternalTool.umoci.shouldRun))
    func readsUmociLayout() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let store = try await OCILayoutStore(root: layout, create: false)
        #expect(try await store.tags() == ["base", "v1", "v2"])
        let counts = try await Self.verifyWholeLayout(store)
        #expect(counts.manifests == 3)
        #expect(counts.blobs == 3, "base has no layer, v1 one, v2 two")
        let v2 = try await store.resolve("v2")
        let manifest = try ImageManifest.decode(
            Data(try await store.fetch(v2).collect(upTo: 1 << 20).readableBytesView))
        let configuration = try ImageConfiguration.decode(
            Data(try await store.fetch(manifest.config).collect(upTo: 1 << 20).readableBytesView))
        #expect(configuration.config?.env?.contains("WHARF=1") == true)
        #expect(configuration.platform.matches(.host))
    }

    @Test(
        "decodes the Docker schema 2 manifest and config skopeo converts an image to",
        .tags(.interop), .enabled(if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun))
    func decodesSkopeoDockerFormat() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let dir = directory.appending("docker-dir")
        try await ExternalTool.skopeo.run(["copy", "--format", "v2s2", "oci:\(layout):v2", "dir:\(dir)"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/manifest.json"))
        let document = try ManifestDocument(bytes: bytes)
        #expect(document.descriptor.mediaType == .dockerManifest)
        let manifest = try #require(document.manifest)
        #expect(manifest.format == .dockerManifest)
        #expect(manifest.config.mediaType == .dockerConfig)
        #expect(manifest.layers.allSatisfy { $0.mediaType == .dockerLayerGzip })
        for descriptor in [manifest.config] + manifest.layers {
            let blob = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(descriptor.digest.encoded)"))
            #expect(DigestHasher.digest(of: blob) == descriptor.digest)
            #expect(Int64(blob.count) == descriptor.size)
        }
        let config = try Data(contentsOf: URL(fileURLWithPath: "\(dir)/\(manifest.config.digest.encoded)"))
        #expect(try ImageConfiguration.decode(config).rootfs.diffIDs.count == 2)
    }

    @Test(
        "writes a layout that skopeo reads and copies back byte for byte",
        .tags(.interop), .enabled(if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun))
    func skopeoReadsWhatWharfWrites() async throws {
        let directory = try TemporaryDirectory()
        let source = directory.appending("source")
        try await RealImageFixture.makeUmociLayout(at: source, workingDirectory: directory.path)
        let ours = directory.appending("ours")
        let sourceStore = try await OCILayoutStore(root: source, create: false)
        let target = try await OCILayoutStore(root: ours)
        let summary = try await copyGraph(from: sourceStore, root: "v2", to: target, as: "copied")
        let inspected = try await ExternalTool.skopeo.run(["inspect", "--raw", "oci:\(ours):copied"])
        #expect(DigestHasher.digest(of: Array(inspected.utf8)) == summary.root.digest)
        let back = directory.appending("back")
        try await ExternalTool.skopeo.run([
            "copy", "--preserve-digests", "oci:\(ours):copied", "oci:\(back):again",
        ])
        let backStore = try await OCILayoutStore(root: back, create: false)
        #expect(try await backStore.resolve("again").digest == summary.root.digest)
        _ = try await Self.verifyWholeLayout(backStore)
    }

    @Test("refuses to serve a blob whose file was corrupted on disk")
    func detectsCorruption() async throws {
        let directory = try TemporaryDirectory()
        let store = try await OCILayoutStore(root: directory.path)
        let bytes = Array(repeating: UInt8(ascii: "x"), count: 10_000)
        let descriptor = Descriptor(mediaType: .ociLayer, bytes: bytes)
        try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        var corrupted = bytes
        corrupted[5000] = UInt8(ascii: "y")
        try Data(corrupted).write(to: URL(fileURLWithPath: store.blobPath(descriptor.digest)))
        await #expect(throws: ContentError.self) {
            for try await _ in try await store.fetch(descriptor) {}
        }
    }

    @Test("rejects a push whose bytes do not match, leaving no blob and no temporary file")
    func rejectsMismatchedPush() async throws {
        let directory = try TemporaryDirectory()
        let store = try await OCILayoutStore(root: directory.path)
        let descriptor = Descriptor(mediaType: .ociLayer, bytes: Array("right".utf8))
        await #expect(throws: ContentError.self) {
            try await store.push(descriptor, content: ByteStream(ByteBuffer(string: "wrong")))
        }
        #expect(try await store.exists(descriptor) == false)
        #expect(!FileManager.default.fileExists(atPath: store.blobPath(descriptor.digest)))
        let ingest =
            (try? FileManager.default.contentsOfDirectory(atPath: directory.appending("ingest"))) ?? []
        #expect(ingest.isEmpty)
    }

    @Test("handles many concurrent pushes and tags without losing any")
    func concurrentPushesAndTags() async throws {
        let directory = try TemporaryDirectory()
        let store = try await OCILayoutStore(root: directory.path)
        let count = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<count {
                group.addTask {
                    let manifest = ImageManifest(
                        config: .empty, layers: [],
                        artifactType: OCIMediaType(rawValue: "application/vnd.example.n\(number)"))
                    let document = try ManifestDocument(manifest)
                    try await store.push(Descriptor.empty, content: ByteStream(ByteBuffer(string: "{}")))
                    try await store.push(
                        document.descriptor, content: ByteStream(ByteBuffer(bytes: document.bytes)))
                    try await store.tag(document.descriptor, as: "tag-\(number)")
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.tags().count == count)
        let reopened = try await OCILayoutStore(root: directory.path, create: false)
        #expect(try await reopened.tags().count == count)
    }

    @Test("stores opened separately on one directory tag at once without losing a tag or stalling")
    func separateStoresOnOneDirectory() async throws {
        let directory = try TemporaryDirectory()
        // More stores than the I/O pool has threads: each waits for the directory lock.
        var stores: [OCILayoutStore] = []
        for _ in 0..<8 { stores.append(try await OCILayoutStore(root: directory.path)) }
        let document = try ManifestDocument(ImageManifest(config: .empty, layers: []))
        try await stores[0].push(Descriptor.empty, content: ByteStream(ByteBuffer(string: "{}")))
        try await stores[0].push(document.descriptor, content: ByteStream(ByteBuffer(bytes: document.bytes)))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for number in 0..<10 {
                        try await store.tag(document.descriptor, as: "s\(index)-\(number)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await OCILayoutStore(root: directory.path, create: false).tags().count == 80)
    }

    @Test("retagging replaces the old entry; invalid tag names are refused")
    func retagAndValidate() async throws {
        let directory = try TemporaryDirectory()
        let store = try await OCILayoutStore(root: directory.path)
        let first = try ManifestDocument(ImageManifest(config: .empty, layers: []))
        let second = try ManifestDocument(ImageManifest(config: .empty, layers: [], annotations: ["n": "2"]))
        try await store.push(.empty, content: ByteStream(ByteBuffer(string: "{}")))
        for document in [first, second] {
            try await store.push(document.descriptor, content: ByteStream(ByteBuffer(bytes: document.bytes)))
            try await store.tag(document.descriptor, as: "latest")
        }
        #expect(try await store.index().manifests.count == 1)
        #expect(try await store.resolve("latest").digest == second.descriptor.digest)
        for bad in ["", "a//b", "-x", "x-", "../x", "a b", "a\u{0}"] {
            await #expect(throws: LayoutError.self, "\(bad.debugDescription)") {
                try await store.tag(second.descriptor, as: bad)
            }
        }
        try await store.tag(second.descriptor, as: "example.com/repo:v1.0")
        #expect(try await store.tags().contains("example.com/repo:v1.0"))
    }

    @Test("refuses to open a directory that is not a layout when not asked to create one")
    func refusesNonLayout() async throws {
        let directory = try TemporaryDirectory()
        await #expect(throws: LayoutError.self) {
            try await OCILayoutStore(root: directory.path, create: false)
        }
        try Data(#"{"imageLayoutVersion":"2.0.0"}"#.utf8).write(
            to: URL(fileURLWithPath: directory.appending("oci-layout")))
        await #expect(throws: LayoutError.self) {
            try await OCILayoutStore(root: directory.path, create: false)
        }
    }
}
