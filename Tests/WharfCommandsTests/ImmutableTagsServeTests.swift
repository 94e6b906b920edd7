import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

/// `wharf serve` with `immutableTags` in its configuration, over real HTTP: curl for the
/// exact answers, skopeo and podman to show that real clients tell their user why.
@Suite(
    "wharf serve keeps immutable tags where they are", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun
            && ExternalTool.podman.shouldRun)
)
struct ImmutableTagsServeTests {
    static let rule = "prod/** tags [v*, release-*] except [*-rc*]"

    @Test(
        "moving, deleting or deleting the manifest of an immutable tag is 412 DENIED naming the rule; skopeo and podman show it"
    )
    func immutableTags() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let config = directory.appending("wharf.yaml")
        try """
        immutableTags:
          - { repositories: "prod/**", tags: ["v*", "release-*"], exclude: ["*-rc*"] }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", config, "--address", "127.0.0.1:0", "--root", directory.appending("root"),
        ])
        defer { server.terminate() }
        let registry = "http://\(address)/v2"
        func push(_ tag: String, to destination: String) async throws {
            try await ExternalTool.skopeo.run(
                [
                    "copy", "--dest-tls-verify=false", "oci:\(layout):\(tag)",
                    "docker://\(address)/\(destination)",
                ])
        }
        func refusal(
            _ method: String, _ path: String
        ) async throws -> SignaturePolicyServeTests.ErrorBody.Entry? {
            let answer = try await SignaturePolicyServeTests.request(method, "\(registry)/\(path)")
            #expect(answer.status == 412, "\(method) \(path): \(answer.body)")
            let body = try? JSONDecoder().decode(
                SignaturePolicyServeTests.ErrorBody.self, from: Data(answer.body.utf8))
            return body?.errors.first
        }

        try await push("v1", to: "prod/app:v1")
        try await push("v1", to: "prod/app:v1")  // the same manifest again: a CI retry
        let released = try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1")

        // skopeo moving the tag to another image.
        do {
            try await push("v2", to: "prod/app:v1")
            Issue.record("skopeo moved an immutable tag")
        } catch let failure as ToolFailure {
            #expect(failure.output.contains("is immutable"), "skopeo shows the reason: \(failure.output)")
            #expect(failure.output.contains(Self.rule), "skopeo shows the rule: \(failure.output)")
        }

        // podman pushing another image onto the tag.
        let podman = [
            "--root", directory.appending("podman-root"), "--runroot", directory.appending("podman-run"),
            "--storage-driver", "vfs",
        ]
        try await push("v2", to: "prod/app:candidate")
        try await ExternalTool.podman.run(
            podman + ["pull", "--quiet", "--tls-verify=false", "\(address)/prod/app:candidate"])
        do {
            try await ExternalTool.podman.run(
                podman + [
                    "push", "--tls-verify=false", "\(address)/prod/app:candidate", "\(address)/prod/app:v1",
                ])
            Issue.record("podman moved an immutable tag")
        } catch let failure as ToolFailure {
            #expect(failure.output.contains("is immutable"), "podman shows the reason: \(failure.output)")
            #expect(failure.output.contains(Self.rule), "podman shows the rule: \(failure.output)")
        }

        // Deleting the tag, or the manifest it names.
        for path in ["prod/app/manifests/v1", "prod/app/manifests/\(released)"] {
            let error = try await refusal("DELETE", path)
            #expect(error?.code == "DENIED")
            #expect(error?.message.contains(Self.rule) == true)
            #expect(error?.message.contains(directory.path) == false, "no server path in the answer")
        }
        let served = try await SignaturePolicyServeTests.request("HEAD", "\(registry)/prod/app/manifests/v1")
        #expect(served.status == 200)
        #expect(
            served.body.lowercased().contains("docker-content-digest: \(released)"),
            "v1 still names the release")

        // Fresh protected tags, excluded tags and other repositories stay writable.
        try await push("v2", to: "prod/app:v2")
        try await push("v1", to: "prod/app:v3-rc1")
        try await push("v2", to: "prod/app:v3-rc1")
        #expect(
            try await SignaturePolicyServeTests.request("DELETE", "\(registry)/prod/app/manifests/v3-rc1")
                .status == 202)
        try await push("v1", to: "dev/app:v1")
        try await push("v2", to: "dev/app:v1")
    }

    @Test("an immutableTags rule without tags, or with an unknown key, stops the server with a clear error")
    func badConfiguration() async throws {
        let directory = try TemporaryDirectory()
        for (rule, expected) in [
            (#"{ repositories: "prod/**" }"#, "immutableTags[0].tags"),
            (#"{ repositories: "prod/**", tags: ["v*"], excludes: ["x"] }"#, "unknown key \"excludes\""),
        ] {
            let config = directory.appending("bad.yaml")
            try "immutableTags:\n  - \(rule)\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await SignCommandTests.wharf(
                [
                    "serve", "--config", config, "--address", "127.0.0.1:0", "--root",
                    directory.appending("root"),
                ],
                home: directory.appending("home"))
            #expect(result.status != 0)
            #expect(String(decoding: result.standardError, as: UTF8.self).contains(expected))
        }
    }
}
