import Foundation
import Testing
import WharfContent
import WharfMetadata
import WharfTestSupport

/// `wharf metadata rebuild` adopting a root CNCF Distribution wrote, and `wharf serve`
/// rebuilding a lost database by itself.
@Suite(
    "Metadata rebuilt from a root Distribution wrote", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun)
)
struct MetadataRebuildTests {
    struct Report: Decodable, Equatable {
        var repositories: Int
        var manifests: Int
        var recordsCreated: Int
        var recordsRemoved: Int
        var tagChanges: Int
    }

    static func files(under directory: String) throws -> [String: Date] {
        var files: [String: Date] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + path)
            files[path] = attributes[.modificationDate] as? Date
        }
        return files
    }

    static func linkTime(_ root: String, _ repository: String, _ digest: OCIDigest) throws -> Date {
        let path =
            "\(root)/docker/registry/v2/repositories/\(repository)/_manifests/revisions/sha256/\(digest.encoded)/link"
        return try #require(
            try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
    }

    @Test(
        "push times from revision links, tag history from tag indexes; idempotent; Distribution's files untouched"
    )
    func rebuild() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let root = directory.appending("root")
        try await DistributionRegistry.with(root: root, configDirectory: directory.path) { registry in
            for (tag, destination) in [
                ("v1", "team/app:v1"), ("v1", "team/app:latest"), ("v2", "team/app:latest"),
                ("v2", "other/app:v2"),
            ] {
                try await ExternalTool.skopeo.run([
                    "copy", "--dest-tls-verify=false", "oci:\(layout):\(tag)",
                    "docker://\(registry.address)/\(destination)",
                ])
            }
        }
        let v1 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1")
        let v2 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v2")
        let before = try Self.files(under: root + "/docker")
        let home = directory.appending("home")
        func rebuild() async throws -> Report {
            let result = try await WharfBinary.run(
                ["metadata", "rebuild", "--root", root, "--json"], home: home)
            try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
            return try JSONDecoder().decode(Report.self, from: result.standardOutput)
        }
        #expect(
            try await rebuild()
                == Report(repositories: 2, manifests: 3, recordsCreated: 3, recordsRemoved: 0, tagChanges: 4))
        #expect(try Self.files(under: root + "/docker") == before, "nothing under docker/ was written")

        let metadata = try SQLiteMetadataStore(path: root + "/wharf/metadata.sqlite")
        let record = try #require(try await metadata.manifest(v1, in: "team/app"))
        let linked = try Self.linkTime(root, "team/app", v1)
        #expect(
            abs(try #require(record.pushedAt).timeIntervalSince(linked)) < 0.002, "the link's time, to the ms"
        )
        #expect(record.pushedBy == nil && record.pullCount == 0)
        let latest = try await metadata.tagHistory(of: "latest", in: "team/app")
        #expect(latest.map(\.digest) == [v1, v2])
        #expect(latest.map(\.previousDigest) == [nil, v1])
        #expect(try await metadata.tagHistory(of: "v2", in: "other/app").map(\.digest) == [v2])

        #expect(
            try await rebuild()
                == Report(repositories: 2, manifests: 3, recordsCreated: 0, recordsRemoved: 0, tagChanges: 0),
            "a second run finds nothing to do")

        // The database is lost: wharf serve starts a new one, fills it, and serves meanwhile.
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: metadata.path + suffix)
        }
        let (server, address) = try await ServeCommandTests.start([
            "--address", "127.0.0.1:0", "--root", root,
        ])
        let raw = try await ExternalTool.skopeo.run([
            "inspect", "--raw", "--tls-verify=false", "docker://\(address)/team/app:v1",
        ])
        #expect(!raw.isEmpty)
        let rebuilt = await server.waitForLine { $0.contains("metadata rebuilt") }
        #expect(rebuilt?.contains("recordsCreated=3") == true, "\(rebuilt ?? "no rebuild logged")")
        server.terminate()
        #expect(await server.waitForExit() == 0)
        #expect(!FileManager.default.fileExists(atPath: metadata.path + ".rebuilding"))
        let again = try SQLiteMetadataStore(path: metadata.path)
        #expect(try await again.manifest(v2, in: "other/app")?.pushedAt != nil)
        #expect(try await again.tagHistory(of: "latest", in: "team/app").map(\.digest) == [v1, v2])
    }
}
