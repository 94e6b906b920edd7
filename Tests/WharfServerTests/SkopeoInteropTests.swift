import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

@Suite(
    "Interop with skopeo and CNCF Distribution",
    .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct SkopeoInteropTests {
    @Test("skopeo copies a real multi-layer image into the Wharf registry and back out, byte-identical")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let back = directory.appending("back")
        let source = try await OCILayoutStore(root: layout, create: false)
        let expected = try await source.resolve("v2")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        let workdir = directory.path
        try await withRegistry(store: store) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            try await ExternalTool.skopeo.run(
                [
                    "copy", "--dest-tls-verify=false", "--preserve-digests", "oci:\(layout):v2",
                    "docker://\(registry)/team/app:v2",
                ],
                in: workdir)
            let raw = try await ExternalTool.skopeo.run([
                "inspect", "--raw", "--tls-verify=false", "docker://\(registry)/team/app:v2",
            ])
            #expect(DigestHasher.digest(of: Array(raw.utf8)) == expected.digest)
            try await ExternalTool.skopeo.run(
                [
                    "copy", "--src-tls-verify=false", "--preserve-digests",
                    "docker://\(registry)/team/app:v2", "oci:\(back):v2",
                ],
                in: workdir)
        }
        let pulled = try await OCILayoutStore(root: back, create: false)
        #expect(try await pulled.resolve("v2").digest == expected.digest)
        let manifest = try ImageManifest.decode(
            Data(try await pulled.fetch(expected).collect(upTo: 1 << 20).readableBytesView))
        #expect(manifest.layers.count == 2)
        for blob in [manifest.config] + manifest.layers {
            let original = try await source.fetch(blob).collect(upTo: 16 << 20)
            #expect(
                try await pulled.fetch(blob).collect(upTo: 16 << 20) == original,
                "blob \(blob.digest) byte-identical")
        }
    }

    @Test("skopeo copies registry to registry, from Distribution into Wharf, digest-preserving")
    func registryToRegistry() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let expected = try await OCILayoutStore(root: layout, create: false).resolve("v2")
        let wharfStore = RegistryStore(
            driver: try FileSystemDriver(rootDirectory: directory.appending("wharf-root")))
        try await DistributionRegistry.with(
            root: directory.appending("distribution-root"), configDirectory: directory.path
        ) { distribution in
            try await ExternalTool.skopeo.run([
                "copy", "--dest-tls-verify=false", "--preserve-digests", "oci:\(layout):v2",
                "docker://\(distribution.address)/src/app:v2",
            ])
            try await withRegistry(store: wharfStore) { client in
                let wharf = "127.0.0.1:\(try #require(client.port))"
                try await ExternalTool.skopeo.run([
                    "copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--preserve-digests",
                    "docker://\(distribution.address)/src/app:v2", "docker://\(wharf)/dst/app:v2",
                ])
            }
        }
        let repository = try wharfStore.repository("dst/app")
        #expect(try await repository.manifest("v2").descriptor.digest == expected.digest)
    }
}
