import Foundation
import Testing
import WharfContent
import WharfTestSupport

/// `wharf retention run` and `wharf serve`'s retention schedule, on images skopeo pushed.
@Suite(
    "wharf retention", .tags(.interop),
    .enabled(if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun)
)
struct RetentionCommandTests {
    struct Report: Decodable {
        struct Removal: Decodable, Hashable {
            var repository: String
            var digest: String
            var tags: [String]
            var reason: String
        }
        var dryRun: Bool
        var removed: [Removal]
    }

    /// A root where ci/app has build-1 (v1) then build-2 (v2), and legacy/app v1 then v2.
    static func seed(
        _ directory: borrowing TemporaryDirectory
    ) async throws -> (
        config: String, root: String, v1: OCIDigest, v2: OCIDigest
    ) {
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        try #"""
        {"rules": [{"rulePriority": 1, "description": "newest only",
          "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1},
          "action": {"type": "expire"}}]}
        """#.write(toFile: directory.appending("legacy.json"), atomically: true, encoding: .utf8)
        let config = directory.appending("wharf.yaml")
        try """
        root: root
        retention:
          grace: 0s
          rules:
            - { repositories: "ci/**", tags: ["release-*"], always: true }
            - { repositories: "ci/**", latestPushedK: 1 }
          lifecyclePolicies:
            - { repositories: "legacy/**", file: legacy.json }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let root = directory.appending("root")
        let (server, address) = try await ServeCommandTests.start([
            "--config", config, "--address", "127.0.0.1:0",
        ])
        for (tag, destination) in [
            ("v1", "ci/app:build-1"), ("v2", "ci/app:build-2"), ("v1", "legacy/app:a"),
            ("v2", "legacy/app:b"),
        ] {
            try await ExternalTool.skopeo.run([
                "copy", "--dest-tls-verify=false", "oci:\(layout):\(tag)",
                "docker://\(address)/\(destination)",
            ])
        }
        server.terminate()
        #expect(await server.waitForExit() == 0)
        return (
            config, root, try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1"),
            try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v2")
        )
    }

    static func run(_ arguments: [String], home: String) async throws -> Report {
        let result = try await WharfBinary.run(["retention", "run", "--json"] + arguments, home: home)
        try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        return try JSONDecoder().decode(Report.self, from: result.standardOutput)
    }

    @Test(
        "a dry run lists what goes and why, removes nothing; the real run removes the same set and audits it")
    func dryRunThenRun() async throws {
        let directory = try TemporaryDirectory()
        let (config, root, v1, _) = try await Self.seed(directory)
        let home = directory.appending("home")
        let dry = try await Self.run(["--config", config, "--dry-run"], home: home)
        #expect(dry.dryRun)
        #expect(
            Set(dry.removed.map { "\($0.repository)@\($0.digest) \($0.tags)" })
                == ["ci/app@\(v1) [\"build-1\"]", "legacy/app@\(v1) [\"a\"]"])
        #expect(dry.removed.first { $0.repository == "legacy/app" }?.reason.contains("newest only") == true)
        #expect(dry.removed.first { $0.repository == "ci/app" }?.reason.contains("latestPushedK=1") == true)
        let manifests = root + "/docker/registry/v2/repositories/ci/app/_manifests/revisions/sha256/"
        #expect(FileManager.default.fileExists(atPath: manifests + v1.encoded), "a dry run removes nothing")

        let real = try await Self.run(["--config", config], home: home)
        #expect(!real.dryRun)
        #expect(Set(real.removed) == Set(dry.removed))
        #expect(!FileManager.default.fileExists(atPath: manifests + v1.encoded))
        let text = try await WharfBinary.run(
            ["retention", "run", "--config", config, "--dry-run"], home: home)
        #expect(String(decoding: text.standardOutput, as: UTF8.self).contains("0 would remove"))
        let audit = try await ActivityServeTests.audit(["--root", root, "--action", "retention"], home: home)
        #expect(
            Set(audit.map { "\($0.repository ?? "")@\($0.digest ?? "")" }) == [
                "ci/app@\(v1)", "legacy/app@\(v1)",
            ])
    }

    @Test("wharf serve runs retention on its schedule, then collects the freed blobs")
    func schedule() async throws {
        let directory = try TemporaryDirectory()
        let (config, root, v1, v2) = try await Self.seed(directory)
        try
            (try String(contentsOfFile: config, encoding: .utf8).replacingOccurrences(
                of: "  grace: 0s", with: "  grace: 0s\n  schedule: 1s")).write(
                toFile: config, atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", config, "--address", "127.0.0.1:0",
        ])
        defer { server.terminate() }
        let finished = await server.waitForLine { $0.contains("garbage collection finished") }
        #expect(finished != nil)
        for (reference, status) in [
            ("build-1", "404"), ("build-2", "200"), (v1.description, "404"), (v2.description, "200"),
        ] {
            let answer = try await ExternalTool.curl.run([
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-I",
                "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                "http://\(address)/v2/ci/app/manifests/\(reference)",
            ])
            #expect(answer == status, "\(reference)")
        }
        #expect(FileManager.default.fileExists(atPath: root + "/wharf/metadata.sqlite"))
    }
}
