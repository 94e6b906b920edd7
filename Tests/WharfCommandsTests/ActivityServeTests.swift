import Foundation
import Testing
import WharfContent
import WharfMetadata
import WharfTestSupport

/// What `wharf serve` records in its metadata database, observed with real clients and
/// read back with `wharf audit`.
@Suite(
    "wharf serve records history, pulls and the audit log", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun
            && ExternalTool.htpasswd.shouldRun)
)
struct ActivityServeTests {
    struct Event: Decodable {
        var id: Int64
        var action: String
        var outcome: String
        var principal: String?
        var clientAddress: String?
        var repository: String?
        var reference: String?
        var digest: String?
        var detail: String?
    }

    static func audit(_ arguments: [String], home: String) async throws -> [Event] {
        let result = try await WharfBinary.run(["audit", "--json"] + arguments, home: home)
        try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        return try JSONDecoder().decode([Event].self, from: result.standardOutput)
    }

    @Test(
        "pushes, pulls, tag moves and deletes, refusals, failed logins: who, from where, what; the history and pull counts too"
    )
    func recordsActivity() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        _ = try await AuthFixture.htpasswd(
            in: directory.path, users: [("alice", "alice-secret"), ("bob", "bob-secret")])
        let root = directory.appending("root")
        try """
        auth:
          htpasswd: htpasswd
          access:
            - { repositories: "team/**", users: [alice], actions: [pull, push, delete] }
            - { repositories: "**", users: ["*"], actions: [pull] }
        immutableTags:
          - { repositories: "team/**", tags: ["v*"] }
        """.write(toFile: directory.appending("wharf.yaml"), atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", directory.appending("wharf.yaml"), "--address", "127.0.0.1:0", "--root", root,
        ])
        func skopeo(_ arguments: [String]) async throws {
            try await ExternalTool.skopeo.run(arguments)
        }
        let v1 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1")
        let v2 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v2")
        let push = ["copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-secret"]
        try await skopeo(push + ["oci:\(layout):v1", "docker://\(address)/team/app:v1"])
        try await skopeo(push + ["oci:\(layout):v1", "docker://\(address)/team/app:latest"])
        try await skopeo(push + ["oci:\(layout):v2", "docker://\(address)/team/app:latest"])
        for _ in 0..<3 {
            try await skopeo(
                [
                    "inspect", "--raw", "--tls-verify=false", "--creds", "bob:bob-secret",
                    "docker://\(address)/team/app:v1",
                ])
        }
        await #expect(throws: ToolFailure.self, "v1 is immutable") {
            try await skopeo(push + ["oci:\(layout):v2", "docker://\(address)/team/app:v1"])
        }
        await #expect(throws: ToolFailure.self, "a wrong password") {
            try await skopeo([
                "inspect", "--raw", "--tls-verify=false", "--creds", "mallory:guess",
                "docker://\(address)/team/app:v1",
            ])
        }
        let deleted = try await ExternalTool.curl.run([
            "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "alice:alice-secret", "-X", "DELETE",
            "http://\(address)/v2/team/app/manifests/latest",
        ])
        #expect(deleted == "202")
        // A graceful stop writes the batches still waiting.
        server.terminate()
        #expect(await server.waitForExit() == 0)

        let home = directory.appending("home")
        let events = try await Self.audit(["--root", root], home: home)
        let pushes = events.filter { $0.action == "push" && $0.outcome == "success" }
        #expect(Set(pushes.map(\.principal)) == ["alice"])
        #expect(pushes.contains { $0.reference == "v1" && $0.digest == v1.description })
        #expect(pushes.allSatisfy { $0.clientAddress == "127.0.0.1" })
        let pulls = events.filter { $0.action == "pull" }
        #expect(pulls.count == 3)
        #expect(
            pulls.allSatisfy { $0.principal == "bob" && $0.digest == v1.description && $0.reference == "v1" })
        let refusal = try #require(events.first { $0.action == "refusal" })
        #expect(refusal.principal == "alice" && refusal.repository == "team/app" && refusal.reference == "v1")
        #expect(refusal.detail?.contains("is immutable") == true)
        let failures = events.filter { $0.action == "authentication-failure" }
        #expect(
            !failures.isEmpty && failures.allSatisfy { $0.principal == "mallory" && $0.outcome == "denied" })
        #expect(
            events.contains {
                $0.action == "delete" && $0.reference == "latest" && $0.digest == v2.description
                    && $0.principal == "alice"
            })
        #expect(events.map(\.id) == events.map(\.id).sorted(), "oldest first")

        // Filters.
        let onlyPulls = try await Self.audit(
            ["--root", root, "--action", "pull", "--principal", "bob"], home: home)
        #expect(onlyPulls.map(\.id) == pulls.map(\.id))
        #expect(try await Self.audit(["--root", root, "--repository", "other/app"], home: home).isEmpty)
        let page = try await Self.audit(
            ["--root", root, "--limit", "2", "--after", "\(events[0].id)"], home: home)
        #expect(page.map(\.id) == Array(events.dropFirst().prefix(2)).map(\.id))

        // History and pull counts, in the database beside Distribution's docker/ directory.
        let metadata = try SQLiteMetadataStore(path: root + "/wharf/metadata.sqlite")
        let record = try #require(try await metadata.manifest(v1, in: "team/app"))
        #expect(record.pushedBy == "alice" && record.pullCount == 3 && record.lastPulledAt != nil)
        let history = try await metadata.tagHistory(of: "latest", in: "team/app")
        #expect(history.map(\.digest) == [v1, v2, nil])
        #expect(history.map(\.previousDigest) == [nil, v1, v2])
        let foreign = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(foreign == ["docker", "wharf"])
    }

    @Test("a database that is not one is moved aside and a new one started; the registry serves on")
    func unusableDatabase() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let root = directory.appending("root")
        try FileManager.default.createDirectory(atPath: root + "/wharf", withIntermediateDirectories: true)
        let garbage = Data(repeating: 0xA5, count: 8192)
        try garbage.write(to: URL(fileURLWithPath: root + "/wharf/metadata.sqlite"))
        let (server, address) = try await ServeCommandTests.start([
            "--address", "127.0.0.1:0", "--root", root,
        ])
        try await ExternalTool.skopeo.run([
            "copy", "--dest-tls-verify=false", "oci:\(layout):v1", "docker://\(address)/team/app:v1",
        ])
        server.terminate()
        #expect(await server.waitForExit() == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/wharf")
        let aside = try #require(files.first { $0.hasPrefix("metadata.sqlite.unusable-") })
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: root + "/wharf/" + aside)) == garbage,
            "kept, not deleted")
        let metadata = try SQLiteMetadataStore(path: root + "/wharf/metadata.sqlite")
        let v1 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1")
        #expect(try await metadata.manifest(v1, in: "team/app") != nil)
    }
}
