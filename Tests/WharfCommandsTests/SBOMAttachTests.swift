import Foundation
import Testing
import WharfClient
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "wharf sbom --attach",
    .enabled(
        if: FileManager.default.fileExists(atPath: "/var/lib/dpkg/status")
            && DistributionRegistry.tool.shouldRun))
struct SBOMAttachTests {
    @Test(
        "the SBOM becomes a referrer of the image, through the API or the tag schema",
        arguments: CommandPeer.allCases)
    func attach(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await ScanCommandTests.debianImage(at: layout, work: directory.path)
        let subject = try await OCILayoutStore(root: layout, create: false).resolve("v1")
        let home = directory.appending("home")
        let output = directory.appending("sbom.json")
        try await peer.run(in: directory.path) { address in
            let image = "\(address)/team/app:v1"
            let pushed = try await WharfBinary.run(["push", "-q", "\(layout):v1", image], home: home)
            try #require(pushed.status == 0)
            let attached = try await WharfBinary.run(
                ["sbom", image, "--attach", "--format", "cyclonedx", "--output", output], home: home)
            try #require(attached.status == 0, "\(String(decoding: attached.standardError, as: UTF8.self))")
            let repository = try RegistryClient(host: address).repository("team/app")
            let referrers = try await repository.referrers(
                of: subject, artifactType: "application/vnd.cyclonedx+json")
            #expect(referrers.count == 1)
            let artifact = try #require(referrers.first)
            let manifest = try ImageManifest.decode(
                Data(try await repository.fetch(artifact).collect(upTo: 1 << 20).readableBytesView))
            #expect(manifest.subject?.digest == subject.digest)
            let document = try await repository.fetch(manifest.layers[0]).collect(upTo: 64 << 20)
            #expect(Data(document.readableBytesView) == (try Data(contentsOf: URL(fileURLWithPath: output))))
        }
    }
}
