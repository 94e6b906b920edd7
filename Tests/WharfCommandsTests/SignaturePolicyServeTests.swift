import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

/// `wharf serve` with `policies` in its configuration, over real HTTP: curl for exact
/// answers, skopeo as a real client, `wharf sign` to sign.
@Suite(
    "wharf serve refuses unsigned manifests where a policy requires signatures", .tags(.interop),
    .enabled(if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun)
)
struct SignaturePolicyServeTests {
    static let accept = [
        "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
        "-H", "Accept: application/vnd.oci.image.index.v1+json",
        "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
    ]

    /// The status of a request, and its body.
    static func request(_ method: String, _ url: String) async throws -> (status: Int, body: String) {
        let output = try await ExternalTool.curl.run(
            ["-sS", "-X", method, "-w", "\n%{http_code}"] + (method == "HEAD" ? ["-I"] : []) + accept + [url])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    struct ErrorBody: Decodable {
        struct Entry: Decodable {
            var code: String
            var message: String
        }
        var errors: [Entry]
    }

    @Test(
        "unsigned, wrongly signed, retagged and unsigned-child manifests are refused with 412 DENIED; signatures, referrers and blobs stay pullable"
    )
    func policy() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let multi = directory.appending("multi")
        let (index, arm) = try await MultiPlatformLayout.make(at: multi)
        let home = directory.appending("home")
        let release = directory.appending("keys/release")
        let other = directory.appending("other")
        for prefix in [release, other] {
            try FileManager.default.createDirectory(
                atPath: (prefix as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(
                try await SignCommandTests.wharf(
                    ["key", "generate", "--output-key-prefix", prefix], home: home
                )
                .status == 0)
        }
        let config = directory.appending("wharf.yaml")
        try """
        policies:
          - { repositories: "prod/public/**" }
          - { repositories: "prod/**", requireSignature: { keys: [keys/release.pub] } }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", config, "--address", "127.0.0.1:0", "--root", directory.appending("root"),
        ])
        defer { server.terminate() }
        let registry = "http://\(address)/v2"
        func push(_ tag: String, to repository: String) async throws {
            try await ExternalTool.skopeo.run(
                [
                    "copy", "--dest-tls-verify=false", "oci:\(layout):\(tag)",
                    "docker://\(address)/\(repository)",
                ])
        }
        func sign(_ image: String, key: String, _ extra: [String] = []) async throws {
            let result = try await SignCommandTests.wharf(
                ["sign", "\(address)/\(image)", "--key", key] + extra, home: home)
            try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        }
        func pullable(_ path: String) async throws -> Int {
            try await Self.request("GET", "\(registry)/\(path)").status
        }

        try await push("v1", to: "prod/app:v1")
        let refused = try await Self.request("GET", "\(registry)/prod/app/manifests/v1")
        #expect(refused.status == 412)
        let body = try JSONDecoder().decode(ErrorBody.self, from: Data(refused.body.utf8))
        #expect(body.errors.map(\.code) == ["DENIED"])
        #expect(body.errors.first?.message.contains(#"policy "prod/**""#) == true)
        #expect(body.errors.first?.message.contains(directory.path) == false, "no server path in the answer")
        #expect(
            try await Self.request("HEAD", "\(registry)/prod/app/manifests/v1").status == 200,
            "HEAD is not gated")
        do {
            try await ExternalTool.skopeo.run(
                [
                    "copy", "--src-tls-verify=false", "docker://\(address)/prod/app:v1",
                    "oci:\(directory.appending("out")):v1",
                ])
            Issue.record("skopeo pulled the unsigned image")
        } catch {
            #expect("\(error)".lowercased().contains("denied"), "skopeo is refused by the policy: \(error)")
        }

        // Blobs are not gated: the config of the refused image is readable.
        let manifest = try JSONDecoder().decode(
            ImageManifest.self,
            from: Data(
                contentsOf: URL(
                    fileURLWithPath:
                        "\(layout)/blobs/sha256/\(try await Self.layoutDigest(layout, tag: "v1").encoded)")))
        #expect(try await pullable("prod/app/blobs/\(manifest.config.digest)") == 200)

        // Signed with a key the policy does not trust: still refused.
        try await sign("prod/app:v1", key: other + ".key")
        let wrongKey = try await Self.request("GET", "\(registry)/prod/app/manifests/v1")
        #expect(wrongKey.status == 412)
        #expect(wrongKey.body.contains("verifies with the policy's keys"))

        // Signed with the release key: the new signature lifts the cached refusal at once.
        try await sign("prod/app:v1", key: release + ".key")
        #expect(try await pullable("prod/app/manifests/v1") == 200)
        let digest = try await Self.layoutDigest(layout, tag: "v1")
        #expect(try await pullable("prod/app/manifests/\(digest)") == 200)
        #expect(
            try await pullable("prod/app/manifests/sha256-\(digest.encoded).sig") == 200,
            "signatures stay pullable")
        #expect(try await pullable("prod/app/referrers/\(digest)") == 200)
        try await ExternalTool.skopeo.run(
            [
                "copy", "--src-tls-verify=false", "docker://\(address)/prod/app:v1",
                "oci:\(directory.appending("out")):v1",
            ])

        // The tag moves to an image nobody signed.
        try await push("v2", to: "prod/app:v1")
        #expect(try await pullable("prod/app/manifests/v1") == 412)
        #expect(try await pullable("prod/app/manifests/\(digest)") == 200, "the signed image is still signed")

        // The signature is deleted.
        let signatureTag = "sha256-\(digest.encoded).sig"
        let signatureManifest = try await ExternalTool.curl.run(
            ["-sS", "-I"] + Self.accept + ["\(registry)/prod/app/manifests/\(signatureTag)"])
        let signatureDigest = try #require(
            signatureManifest.split(whereSeparator: \.isNewline).first {
                $0.lowercased().hasPrefix("docker-content-digest:")
            }
        ).split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(
            try await Self.request(
                "DELETE", "\(registry)/prod/app/manifests/\(try #require(signatureDigest))"
            ).status == 202)
        #expect(try await pullable("prod/app/manifests/\(digest)") == 412)

        // An index signed alone: the index is readable, its images are not, until --recursive.
        let pushed = try await SignCommandTests.wharf(
            ["copy", "oci:\(multi):v1", "\(address)/prod/multi:v1", "--all-platforms", "-q"], home: home)
        try #require(pushed.status == 0)
        try await sign("prod/multi:v1", key: release + ".key")
        #expect(try await pullable("prod/multi/manifests/v1") == 200)
        #expect(try await pullable("prod/multi/manifests/\(index.digest)") == 200)
        #expect(try await pullable("prod/multi/manifests/\(arm.digest)") == 412)
        try await sign("prod/multi:v1", key: release + ".key", ["--recursive"])
        #expect(try await pullable("prod/multi/manifests/\(arm.digest)") == 200)

        // A signature stored as an OCI 1.1 referrer satisfies the policy too.
        try await push("v1", to: "prod/referred:v1")
        #expect(try await pullable("prod/referred/manifests/v1") == 412)
        try await sign("prod/referred:v1", key: release + ".key", ["--referrers"])
        #expect(try await pullable("prod/referred/manifests/v1") == 200)
        let listing = try await ExternalTool.curl.run([
            "-sS", "\(registry)/prod/referred/referrers/\(digest)",
        ])
        struct Listing: Decodable {
            struct Entry: Decodable { var digest: String }
            var manifests: [Entry]
        }
        let referrers = try JSONDecoder().decode(Listing.self, from: Data(listing.utf8)).manifests
        try #require(referrers.count == 1)
        #expect(
            try await pullable("prod/referred/manifests/\(referrers[0].digest)") == 200,
            "the signature referrer is pullable by digest")

        // Repositories no rule requires signatures of.
        try await push("v1", to: "prod/public/app:v1")
        try await push("v1", to: "dev/app:v1")
        #expect(try await pullable("prod/public/app/manifests/v1") == 200)
        #expect(try await pullable("dev/app/manifests/v1") == 200)
    }

    static func layoutDigest(_ layout: String, tag: String) async throws -> OCIDigest {
        try await OCILayoutStore(root: layout, create: false).resolve(tag).digest
    }

    @Test("a policy naming a missing or malformed key, or no keys, stops the server with a clear error")
    func badConfiguration() async throws {
        let directory = try TemporaryDirectory()
        for (policy, expected) in [
            (#"{ repositories: "**", requireSignature: { keys: [missing.pub] } }"#, "cannot read key"),
            (#"{ repositories: "**", requireSignature: { keys: [] } }"#, "at least one key"),
            (#"{ repositories: "**", requireSignature: { keys: [wharf.yaml] } }"#, "malformed key"),
            (#"{ repositories: "**", requireSignatures: {} }"#, "unknown key \"requireSignatures\""),
        ] {
            let config = directory.appending("wharf.yaml")
            try "policies:\n  - \(policy)\n".write(toFile: config, atomically: true, encoding: .utf8)
            let result = try await WharfBinary.run(
                [
                    "serve", "--config", config, "--address", "127.0.0.1:0", "--root",
                    directory.appending("root"),
                ],
                home: directory.appending("home"))
            #expect(result.status != 0)
            #expect(String(decoding: result.standardError, as: UTF8.self).contains(expected), "\(policy)")
        }
    }
}
