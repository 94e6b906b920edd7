import Foundation
import Testing
import WharfContent
import WharfTestSupport

/// The management API of `wharf serve` (`/wharf/v1/`): what it answers and to whom, and
/// schemathesis holding it to its OpenAPI document.
@Suite(
    "The management API", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun
            && ExternalTool.htpasswd.shouldRun)
)
struct ManagementAPITests {
    static let specification = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
            "Docs/openapi/management-v1.yaml"
        ).path

    /// The status and body of a request as `user` (`nil`: anonymous).
    static func get(
        _ url: String, as user: String? = nil, method: String = "GET"
    ) async throws -> (status: Int, body: Data) {
        var arguments = ["-s", "-X", method, "-w", "\n%{http_code}"]
        if let user { arguments += ["-u", "\(user):\(user)-secret"] }
        let output = try await ExternalTool.curl.run(arguments + [url])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, Data(lines.dropLast().joined(separator: "\n").utf8))
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(
        "repositories, artifacts and history need pull; the audit log admin on the repository or everywhere; policies and retention admin everywhere"
    )
    func accessAndAnswers() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        _ = try await AuthFixture.htpasswd(
            in: directory.path,
            users: [("alice", "alice-secret"), ("bob", "bob-secret"), ("ops", "ops-secret")])
        try """
        auth:
          htpasswd: htpasswd
          access:
            - { repositories: "team/**", users: [alice], actions: [pull, push, delete, admin] }
            - { repositories: "**", users: [bob], actions: [pull] }
            - { repositories: "**", users: [ops], actions: [pull, admin] }
        immutableTags:
          - { repositories: "team/**", tags: ["v*"] }
        retention:
          rules:
            - { repositories: "team/**", latestPushedK: 1 }
        """.write(toFile: directory.appending("wharf.yaml"), atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", directory.appending("wharf.yaml"), "--address", "127.0.0.1:0", "--root",
            directory.appending("root"),
        ])
        defer { server.terminate() }
        let push = ["copy", "--dest-tls-verify=false", "--dest-creds", "alice:alice-secret"]
        try await ExternalTool.skopeo.run(push + ["oci:\(layout):v1", "docker://\(address)/team/app:v1"])
        try await ExternalTool.skopeo.run(push + ["oci:\(layout):v2", "docker://\(address)/team/app:latest"])
        try await ExternalTool.skopeo.run([
            "inspect", "--raw", "--tls-verify=false", "--creds", "bob:bob-secret",
            "docker://\(address)/team/app:v1",
        ])
        let api = "http://\(address)/wharf/v1"
        let v1 = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1")

        #expect(try await Self.get("\(api)/repositories").status == 401, "anonymous")
        let listing = try await Self.get("\(api)/repositories", as: "bob")
        #expect(listing.status == 200)
        let repositories = try #require(try Self.object(listing.body)["repositories"] as? [[String: Any]])
        #expect(repositories.map { $0["name"] as? String } == ["team/app"])
        #expect(repositories.first?["artifacts"] as? Int == 2 && repositories.first?["tags"] as? Int == 2)

        let artifacts = try await Self.get("\(api)/repositories/team/app/artifacts", as: "bob")
        #expect(artifacts.status == 200)
        let list = try #require(try Self.object(artifacts.body)["artifacts"] as? [[String: Any]])
        let released = try #require(list.first { $0["digest"] as? String == v1.description })
        #expect(released["tags"] as? [String] == ["v1"])
        #expect(released["pushedBy"] == nil, "who pushed is for administrators")
        let asAdmin = try #require(
            try Self.object(try await Self.get("\(api)/repositories/team/app/artifacts", as: "ops").body)[
                "artifacts"]
                as? [[String: Any]])
        #expect(
            asAdmin.first { $0["digest"] as? String == v1.description }?["pushedBy"] as? String == "alice")
        #expect(try await Self.get("\(api)/repositories/team/nothing/artifacts", as: "bob").status == 404)
        #expect(try await Self.get("\(api)/repositories/Not_Valid/artifacts", as: "ops").status == 400)
        let history = try await Self.get("\(api)/repositories/team%2Fapp/history?tag=v1", as: "bob")
        #expect(history.status == 200)
        #expect((try Self.object(history.body)["changes"] as? [[String: Any]])?.count == 1)

        #expect(try await Self.get("\(api)/audit?repository=team/app", as: "bob").status == 403)
        #expect(try await Self.get("\(api)/audit?repository=team/app", as: "alice").status == 200)
        #expect(
            try await Self.get("\(api)/audit", as: "alice").status == 403,
            "admin on team/** is not everywhere")
        #expect(try await Self.get("\(api)/audit?limit=0", as: "ops").status == 400)
        #expect(try await Self.get("\(api)/audit?since=yesterday", as: "ops").status == 400)
        let audit = try await Self.get("\(api)/audit?action=push&limit=1", as: "ops")
        let page = try Self.object(audit.body)
        #expect((page["events"] as? [[String: Any]])?.first?["principal"] as? String == "alice")
        let next = try #require(page["next"] as? Int)
        let second = try Self.object(
            try await Self.get("\(api)/audit?action=push&limit=1&after=\(next)", as: "ops").body)
        #expect((second["events"] as? [[String: Any]])?.first?["reference"] as? String == "latest")

        #expect(try await Self.get("\(api)/policies", as: "alice").status == 403)
        let policies = try Self.object(try await Self.get("\(api)/policies", as: "ops").body)
        #expect(
            (policies["immutableTags"] as? [[String: Any]])?.first?["repositories"] as? String == "team/**")
        #expect(
            ((policies["retention"] as? [String: Any])?["rules"] as? [[String: Any]])?.first?["template"]
                as? String
                == "latestPushedK")

        #expect(try await Self.get("\(api)/retention/dry-run", as: "ops").status == 405)
        #expect(try await Self.get("\(api)/retention/dry-run", as: "bob", method: "POST").status == 403)
        let dry = try Self.object(
            try await Self.get("\(api)/retention/dry-run", as: "ops", method: "POST").body)
        // latestPushedK=1 lets v1 go, but v1 is immutable.
        #expect((dry["removed"] as? [Any])?.isEmpty == true)
        #expect((dry["protected"] as? [[String: Any]])?.first?["digest"] as? String == v1.description)

        // The CLI verbs against the server.
        let home = directory.appending("home")
        let events = try await ActivityServeTests.audit(
            ["--server", address, "--creds", "ops:ops-secret", "--action", "pull"], home: home)
        #expect(events.map(\.principal) == ["bob"])
        let scoped = try await ActivityServeTests.audit(
            [
                "--server", address, "--creds", "alice:alice-secret", "--repository", "team/app", "--action",
                "push",
            ],
            home: home)
        #expect(scoped.count == 2)
        let refused = try await WharfBinary.run(
            ["audit", "--server", address, "--creds", "bob:bob-secret"], home: home)
        #expect(refused.status != 0)
        let remote = try await WharfBinary.run(
            ["retention", "run", "--server", address, "--creds", "ops:ops-secret", "--dry-run"], home: home)
        #expect(remote.status == 0, "\(String(decoding: remote.standardError, as: UTF8.self))")
        #expect(
            String(decoding: remote.standardOutput, as: UTF8.self).contains(
                "kept team/app@\(v1): tag v1 is immutable"))
    }

    @Test(
        "schemathesis finds nothing against the OpenAPI document: no 5xx, every status and body as documented",
        .enabled(if: PythonModule("schemathesis.cli", pipPackage: "schemathesis").shouldRun))
    func schemathesis() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        try """
        immutableTags:
          - { repositories: "team/**", tags: ["v*"] }
        retention:
          rules:
            - { repositories: "**", always: true }
        """.write(toFile: directory.appending("wharf.yaml"), atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", directory.appending("wharf.yaml"), "--address", "127.0.0.1:0", "--root",
            directory.appending("root"),
        ])
        defer { server.terminate() }
        for (tag, destination) in [("v1", "team/app:v1"), ("v2", "team/app:latest"), ("v2", "other/app:v2")] {
            try await ExternalTool.skopeo.run([
                "copy", "--dest-tls-verify=false", "oci:\(layout):\(tag)",
                "docker://\(address)/\(destination)",
            ])
        }
        let result = try await ProcessRunner.launch(
            "/usr/bin/env",
            [
                "python3", "-c", "from schemathesis.cli import schemathesis; schemathesis()", "run",
                Self.specification, "--url", "http://\(address)/wharf/v1", "--checks", "all", "--workers",
                "1",
                "--max-examples", "25", "--seed", "14", "--no-color",
            ])
        let output = String(decoding: result.standardOutput + result.standardError, as: UTF8.self)
        #expect(result.status == 0, "\(output)")
        #expect(output.contains("No issues found"), "\(output)")
    }
}
