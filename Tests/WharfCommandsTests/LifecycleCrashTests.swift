import Foundation
import Testing
import WharfContent
import WharfMetadata
import WharfStorage
import WharfTestSupport

/// `kill -9` while pulls wait in a batch, and in the middle of a retention run: after a
/// restart nothing kept is lost, the run completes, and the database is sound.
@Suite(
    "Lifecycle survives kill -9", .tags(.interop), .timeLimit(.minutes(3)),
    .enabled(if: ExternalTool.curl.shouldRun))
struct LifecycleCrashTests {
    static func pull(_ address: String, _ reference: String) async throws -> String {
        try await ExternalTool.curl.run([
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
            "Accept: application/vnd.oci.image.manifest.v1+json",
            "http://\(address)/v2/ci/app/manifests/\(reference)",
        ])
    }

    static func pullCount(_ address: String, _ digest: OCIDigest) async throws -> Int {
        // The artifacts answer flushes the batch first: a synchronisation point.
        let body = try await ExternalTool.curl.run([
            "-s", "http://\(address)/wharf/v1/repositories/ci/app/artifacts",
        ])
        let list = try #require(
            (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["artifacts"]
                as? [[String: Any]])
        return try #require(
            list.first { $0["digest"] as? String == digest.description }?["pullCount"] as? Int)
    }

    @Test("pulls waiting in a batch are the most a crash loses; pushes and earlier pulls survive")
    func killDuringPullBatching() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let digest = try #require(
            try await TinyImages.push(1, to: try store.repository("ci/app"), prefix: "build").first)
        let (server, address) = try await ServeCommandTests.start([
            "--address", "127.0.0.1:0", "--root", root,
        ])
        for _ in 0..<10 { #expect(try await Self.pull(address, "build-0") == "200") }
        #expect(try await Self.pullCount(address, digest) == 10)
        for _ in 0..<5 { #expect(try await Self.pull(address, "build-0") == "200") }
        await server.kill()

        let metadata = try SQLiteMetadataStore(path: root + "/wharf/metadata.sqlite")
        #expect(try await metadata.integrityProblems().isEmpty)
        let count = try #require(try await metadata.manifest(digest, in: "ci/app")?.pullCount)
        #expect((10...15).contains(count), "at most the last batch is lost: \(count)")
        let (again, address2) = try await ServeCommandTests.start([
            "--address", "127.0.0.1:0", "--root", root,
        ])
        #expect(try await Self.pull(address2, "build-0") == "200")
        #expect(try await Self.pullCount(address2, digest) == Int(count) + 1)
        again.terminate()
        #expect(await again.waitForExit() == 0)
    }

    @Test(
        "a retention run killed half way completes when run again; it removes exactly what its dry run listed"
    )
    func killDuringRetention() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let digests = try await TinyImages.push(150, to: try store.repository("ci/app"), prefix: "build")
        try TinyImages.backdate(root, by: 2 * 86_400)
        let home = directory.appending("home")
        #expect(try await WharfBinary.run(["metadata", "rebuild", "--root", root], home: home).status == 0)
        let config = directory.appending("wharf.yaml")
        try """
        root: root
        retention:
          rules:
            - { repositories: "ci/**", latestPushedK: 10 }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let dry = try await RetentionCommandTests.run(["--config", config, "--dry-run"], home: home)
        let expected = Set(dry.removed.map(\.digest))
        #expect(expected.count == 140)

        let metadata = try SQLiteMetadataStore(path: root + "/wharf/metadata.sqlite")
        let run = try InteractiveProcess(try WharfBinary.path, ["retention", "run", "--config", config])
        // Kill once the run has visibly removed something, well before it can finish.
        while try await metadata.manifests(in: "ci/app").count == 150 {
            try await Task.sleep(for: .milliseconds(2))  // polling the database, not waiting for time
        }
        await run.kill()
        let remaining = try await metadata.manifests(in: "ci/app").count
        #expect(remaining > 10, "killed part way (\(remaining) records left)")
        #expect(try await metadata.integrityProblems().isEmpty)

        let again = try await RetentionCommandTests.run(["--config", config], home: home)
        #expect(
            Set(again.removed.map(\.digest)).isSubset(of: expected), "the second run finishes the same plan")
        let repository = try store.repository("ci/app")
        let left = Set(try await repository.storedManifests().map(\.digest.description))
        #expect(
            left == Set(digests.map(\.description)).subtracting(expected), "exactly the planned set is gone")
        for digest in digests where left.contains(digest.description) {
            _ = try await repository.manifest(.digest(digest))  // readable, not half deleted
        }
        #expect(try await metadata.integrityProblems().isEmpty)
        #expect(try await metadata.manifests(in: "ci/app").count == 10)
    }
}
