import Foundation
import NIOCore
import Testing
import WharfClient
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "Client against Distribution and Wharf",
    .tags(.interop),
    .enabled(
        if: ExternalTool.umoci.shouldRun && ExternalTool.skopeo.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct ClientInteropTests {
    @Test(
        "copies a real image from a layout into the registry and back, byte-identical",
        arguments: Peer.allCases)
    func roundTrip(peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let back = directory.appending("back")
        let path = directory.path
        try await peer.run(in: path) { address in
            let source = try await OCILayoutStore(root: layout, create: false)
            let repository = try testClient(address).repository("team/app")
            let (events, reporter) = CopyProgress.makeStream()
            let collected = Task { await events.reduce(into: [CopyEvent]()) { $0.append($1) } }
            let pushed = try await copyGraph(
                from: source, root: "v2", to: repository, options: CopyOptions(progress: reporter))
            let seen = await collected.value
            #expect(pushed.transferred == 4, "manifest, config and two layers")
            #expect(seen.contains { if case .completed = $0 { true } else { false } })
            let resolved = try await repository.resolve("v2")
            #expect(resolved.digest == pushed.root.digest)
            #expect(resolved.size == pushed.root.size)
            #expect(resolved.mediaType == pushed.root.mediaType)
            // skopeo, an independent client, sees the same manifest.
            let raw = try await ExternalTool.skopeo.run([
                "inspect", "--raw", "--tls-verify=false", "docker://\(address)/team/app:v2",
            ])
            #expect(DigestHasher.digest(of: Array(raw.utf8)) == pushed.root.digest)

            let target = try await OCILayoutStore(root: back)
            let pulled = try await copyGraph(from: repository, root: "v2", to: target)
            #expect(pulled.root.digest == pushed.root.digest)
            let manifest = try ImageManifest.decode(
                Data(try await target.fetch(pulled.root).collect(upTo: 1 << 20).readableBytesView))
            for blob in [manifest.config] + manifest.layers {
                #expect(
                    try await target.fetch(blob).collect(upTo: 16 << 20)
                        == (try await source.fetch(blob).collect(upTo: 16 << 20)))
            }
            // A second push finds everything there already.
            let again = try await copyGraph(from: source, root: "v2", to: repository)
            #expect(again.transferred == 0 || again.skipped > 0)
        }
    }

    @Test(
        "large blobs go up in chunks; tags list across pages; delete removes a manifest",
        arguments: Peer.allCases)
    func chunksPagesDelete(peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        try await peer.run(in: directory.path) { address in
            let client = try testClient(address) {
                $0.monolithicPushLimit = 0
                $0.chunkSize = 100_000
            }
            let repository = try client.repository("chunks/app")
            var generator = SeededGenerator(seed: 42)
            let layer = (0..<1_050_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let image = try TestImage(layers: [layer])
            try await image.push(to: repository, tags: ["a", "b", "c", "d", "e"])
            let tags = try await repository.tags(pageSize: 2)
            #expect(tags == ["a", "b", "c", "d", "e"], "\(tags)")
            #expect(try await client.catalog(pageSize: 1).contains("chunks/app"))
            #expect(try await repository.exists(image.layerDescriptors[0]))
            let fetched = try await repository.fetch(image.layerDescriptors[0]).collect(upTo: 2 << 20)
            #expect(Array(fetched.readableBytesView) == layer)

            try await repository.delete(image.manifestDescriptor)
            await #expect(throws: ContentError.referenceNotFound("a", location: "\(client.host)/chunks/app"))
            {
                try await repository.resolve("a")
            }
        }
    }

    @Test("a blob pushed with a sibling source is mounted, not uploaded", arguments: Peer.allCases)
    func mount(peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        try await peer.run(in: directory.path) { address in
            let client = try testClient(address)
            let blob = Array("shared layer bytes".utf8)
            let descriptor = Descriptor(mediaType: .ociLayer, bytes: blob)
            let first = try client.repository("one/app")
            #expect(
                try await first.pushBlob(descriptor, content: ByteStream(ByteBuffer(bytes: blob)))
                    == .uploaded)
            #expect(
                try await first.pushBlob(descriptor, content: ByteStream(ByteBuffer(bytes: blob))) == .existed
            )
            let second = try client.repository("two/app")
            let outcome = try await second.pushBlob(
                descriptor, content: ByteStream(ByteBuffer(bytes: blob)), mountFrom: "one/app")
            #expect(outcome == .mounted(from: "one/app"))
            #expect(try await second.exists(descriptor))
        }
    }

    @Test(
        "an upload left half done continues from the registry's offset in a new client",
        arguments: Peer.allCases)
    func resumableUpload(peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        try await peer.run(in: directory.path) { address in
            var generator = SeededGenerator(seed: 7)
            let blob = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let descriptor = Descriptor(mediaType: .ociLayer, bytes: blob)
            // The first "process" opens a session and sends the first 120,000 bytes.
            let session = try await testClient(address).repository("resume/app").startUpload()
            let partial = try await TestUpload.patch(
                Array(blob[..<120_000]), session: session, client: try testClient(address))
            // A new client asks where it stands and finishes.
            let repository = try testClient(address).repository("resume/app")
            #expect(try await repository.uploadStatus(partial).offset == 120_000)
            try await repository.resumeUpload(
                partial, descriptor: descriptor, content: ByteStream(ByteBuffer(bytes: blob)))
            let fetched = try await repository.fetch(descriptor).collect(upTo: 1 << 20)
            #expect(Array(fetched.readableBytesView) == blob)
        }
    }
}

@Suite(
    "Referrers through the API or the tag schema", .tags(.interop),
    .enabled(if: DistributionRegistry.tool.shouldRun))
struct ClientReferrersTests {
    @Test(
        "an artifact pushed with a subject is listed as a referrer, filtered by artifactType",
        arguments: Peer.allCases)
    func referrers(peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        try await peer.run(in: directory.path) { address in
            let repository = try testClient(address).repository("ref/app")
            let image = try TestImage(layers: [Array("base".utf8)])
            try await image.push(to: repository, tags: ["v1"])
            let sbomType: OCIMediaType = "application/vnd.wharf.test.sbom+json"
            let sbom = Array(#"{"sbom":true}"#.utf8)
            let sbomLayer = Descriptor(mediaType: sbomType, bytes: sbom)
            let empty = Descriptor.empty
            var manifest = ImageManifest(
                config: empty, layers: [sbomLayer], artifactType: sbomType, subject: image.manifestDescriptor)
            manifest.annotations = ["org.example.kind": "sbom"]
            let document = try ManifestDocument(manifest)
            try await repository.push(sbomLayer, content: ByteStream(ByteBuffer(bytes: sbom)))
            try await repository.push(empty, content: ByteStream(ByteBuffer(bytes: Array("{}".utf8))))
            try await repository.push(
                document.descriptor, content: ByteStream(ByteBuffer(bytes: Array(document.bytes))))

            let found = try await repository.referrers(of: image.manifestDescriptor, artifactType: nil)
            #expect(found.map(\.digest) == [document.descriptor.digest])
            #expect(found.first?.artifactType == sbomType)
            #expect(found.first?.annotations?["org.example.kind"] == "sbom")
            #expect(
                try await repository.referrers(of: image.manifestDescriptor, artifactType: sbomType).count
                    == 1)
            #expect(
                try await repository.referrers(
                    of: image.manifestDescriptor, artifactType: "application/other"
                ).isEmpty)
            let unrelated = Descriptor(mediaType: .ociManifest, bytes: Array("nothing refers to this".utf8))
            #expect(try await repository.referrers(of: unrelated, artifactType: nil).isEmpty)
            // Distribution 2.8 has no referrers API: the client kept the tag schema's index.
            let tags = try await repository.tags()
            let fallback = "sha256-\(image.manifestDescriptor.digest.encoded)"
            #expect(tags.contains(fallback) == (peer == .distribution), "\(tags)")
        }
    }
}
