import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

/// Distribution's `registry` and Wharf's `RegistryStore` read and write the same storage
/// root: each side's writes are served correctly by the other, with skopeo as the client.
@Suite(
    "Storage compatibility with CNCF Distribution",
    .tags(.interop),
    .enabled(
        if: DistributionRegistry.tool.shouldRun && ExternalTool.skopeo.shouldRun
            && ExternalTool.umoci.shouldRun))
struct DistributionInteropTests {
    @Test("a root written by Distribution (pushed with skopeo) is readable by RegistryStore")
    func readsWhatDistributionWrote() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let root = directory.appending("root")
        try await DistributionRegistry.with(root: root, configDirectory: directory.path) { registry in
            for tag in ["v1", "v2"] {
                try await ExternalTool.skopeo.run([
                    "copy", "--dest-tls-verify=false", "--preserve-digests", "oci:\(layout):\(tag)",
                    "docker://\(registry.address)/team/app:\(tag)",
                ])
            }
            try await ExternalTool.skopeo.run([
                "copy", "--dest-tls-verify=false", "--format", "v2s2", "oci:\(layout):v2",
                "docker://\(registry.address)/team/docker-format:latest",
            ])
        }
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        #expect(try await store.catalog() == ["team/app", "team/docker-format"])
        let layoutStore = try await OCILayoutStore(root: layout, create: false)
        let repository = try store.repository("team/app")
        #expect(try await repository.tags() == ["v1", "v2"])
        for tag in ["v1", "v2"] {
            let expected = try await layoutStore.resolve(tag)
            let (descriptor, bytes) = try await repository.manifest(tag)
            #expect(descriptor.digest == expected.digest, "same manifest digest for \(tag)")
            let document = try ManifestDocument(bytes: Data(bytes.readableBytesView))
            for blob in [try #require(document.manifest).config] + (document.manifest?.layers ?? []) {
                let content = try await repository.readBlob(blob.digest).content.bytes()  // verified read
                #expect(Int64(content.count) == blob.size)
            }
        }
        let docker = try await store.repository("team/docker-format").manifest("latest")
        #expect(docker.descriptor.mediaType == .dockerManifest)
    }

    @Test("a root written by RegistryStore is served correctly by Distribution (pulled with skopeo)")
    func distributionServesWhatWharfWrote() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let layoutStore = try await OCILayoutStore(root: layout, create: false)
        let repository = try store.repository("wharf/written")
        for tag in ["v1", "v2"] {
            try await copyGraph(from: layoutStore, root: .reference(tag), to: repository)
        }
        let v2 = try await layoutStore.resolve("v2")
        let pulled = directory.appending("pulled")
        try await DistributionRegistry.with(root: root, configDirectory: directory.path) { registry in
            let tags = try await ExternalTool.skopeo.run([
                "list-tags", "--tls-verify=false", "docker://\(registry.address)/wharf/written",
            ])
            #expect(tags.contains("\"v1\"") && tags.contains("\"v2\""))
            let raw = try await ExternalTool.skopeo.run([
                "inspect", "--raw", "--tls-verify=false", "docker://\(registry.address)/wharf/written:v2",
            ])
            #expect(DigestHasher.digest(of: Array(raw.utf8)) == v2.digest)
            try await ExternalTool.skopeo.run([
                "copy", "--src-tls-verify=false", "--preserve-digests",
                "docker://\(registry.address)/wharf/written:v2", "oci:\(pulled):v2",
            ])
        }
        let pulledStore = try await OCILayoutStore(root: pulled, create: false)
        #expect(try await pulledStore.resolve("v2").digest == v2.digest)
        let manifest = try ImageManifest.decode(
            Data(try await pulledStore.fetch(v2).collect(upTo: 1 << 20).readableBytesView))
        // Reading each layer through the store verifies it.
        for layer in manifest.layers { for try await _ in try await pulledStore.fetch(layer) {} }
    }
}
