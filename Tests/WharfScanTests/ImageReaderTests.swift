import Foundation
import Testing
import WharfContent
import WharfImage
import WharfScan
import WharfTestSupport

@Suite("Reading real images", .tags(.interop), .enabled(if: ExternalTool.umoci.shouldRun))
struct ImageReaderTests {
    @Test("an umoci image's layers, gzip-compressed, add up to its final filesystem, deletions included")
    func umociImage() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        // A third image deletes /etc/hello: umoci writes a whiteout for it.
        let bundle = directory.appending("bundle-v3")
        try await ExternalTool.umoci.run(["unpack", "--rootless", "--image", "\(layout):v2", bundle])
        try FileManager.default.removeItem(atPath: bundle + "/rootfs/etc/hello")
        try await ExternalTool.umoci.run(["repack", "--image", "\(layout):v3", bundle])

        let store = try await OCILayoutStore(root: layout, create: false)
        func filesystem(_ tag: String) async throws -> (LayeredFilesystem, ImageManifest) {
            let manifest = try ImageManifest.decode(
                Data(
                    try await store.fetch(try await store.resolve(tag)).collect(upTo: 1 << 20)
                        .readableBytesView))
            let configuration = try JSONDecoder().decode(
                ImageConfiguration.self,
                from: Data(try await store.fetch(manifest.config).collect(upTo: 1 << 20).readableBytesView))
            let filesystem = try await ImageFilesystemReader().read(
                manifest: manifest, configuration: configuration, from: store, capture: { _ in 1 << 20 })
            return (filesystem, manifest)
        }
        let (v2, v2Manifest) = try await filesystem("v2")
        #expect(v2.content(of: "etc/hello") == Array("hello\n".utf8))
        #expect(v2.content(of: "etc/link") == Array("hello\n".utf8), "symlink to hello")
        #expect(v2.files["etc/world"]?.size == 300_000)
        #expect(v2.files["etc/hello"]?.layer.digest == v2Manifest.layers[0].digest)
        #expect(v2.files["etc/world"]?.layer.digest == v2Manifest.layers[1].digest)
        #expect(v2.files["etc/world"]?.layer.diffID != nil)

        let (v3, v3Manifest) = try await filesystem("v3")
        #expect(v3Manifest.layers.count == 3)
        #expect(v3.files["etc/hello"] == nil, "the whiteout removed it")
        #expect(v3.content(of: "etc/link") == nil, "a dangling symlink has no content")
        #expect(v3.files["etc/world"] != nil)
    }

    @Test("zstd layers are refused with a clear error")
    func zstdRefused() async throws {
        let store = MemoryStore()
        let layer = Descriptor(mediaType: .ociLayerZstd, bytes: [0x28, 0xB5, 0x2F, 0xFD, 0, 0])
        try await store.push(layer, content: ByteStream(.init(bytes: [0x28, 0xB5, 0x2F, 0xFD, 0, 0])))
        let manifest = ImageManifest(config: .empty, layers: [layer])
        await #expect(
            throws: ScanError.unsupportedCompression("zstd (application/vnd.oci.image.layer.v1.tar+zstd)")
        ) {
            _ = try await ImageFilesystemReader().read(
                manifest: manifest, configuration: nil, from: store, capture: { _ in nil })
        }
    }
}
