import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

/// The registries the CLI is tested against: Debian's Distribution and `wharf serve`.
enum CommandPeer: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case distribution
    case wharf

    var testDescription: String { rawValue }

    func run<T>(
        in directory: String, extraConfiguration: String = "", _ body: (String) async throws -> T
    ) async throws -> T {
        switch self {
        case .distribution:
            return try await DistributionRegistry.with(
                root: directory + "/distribution-root", configDirectory: directory,
                extraConfiguration: extraConfiguration
            ) { try await body($0.address) }
        case .wharf:
            let (server, address) = try await ServeCommandTests.start([
                "--address", "127.0.0.1:0", "--root", directory + "/wharf-root",
            ])
            do {
                let result = try await body(address)
                await server.kill()
                return result
            } catch {
                await server.kill()
                throw error
            }
        }
    }
}

@Suite(
    "wharf registry verbs against Distribution and wharf serve",
    .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct RegistryCommandsTests {
    /// Runs `wharf` in an isolated home and returns standard output; fails on non-zero exit.
    static func wharf(_ arguments: [String], home: String) async throws -> String {
        let result = try await WharfBinary.run(arguments, home: home)
        guard result.status == 0 else {
            throw ToolFailure(
                tool: "wharf \(arguments.joined(separator: " "))", status: result.status,
                output: String(decoding: result.standardError, as: UTF8.self))
        }
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    @Test(
        "push, ls, digest, manifest, config, tag, copy with mounts, pull, catalog and delete",
        arguments: CommandPeer.allCases)
    func everyVerb(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let expected = try await OCILayoutStore(root: layout, create: false).resolve("v2")
        let home = directory.appending("home")
        let pulled = directory.appending("pulled")
        try await peer.run(in: directory.path) { address in
            let image = "\(address)/team/app:v2"
            let pushed = try await Self.wharf(["push", "-q", "\(layout):v2", image], home: home)
            #expect(pushed.trimmingCharacters(in: .newlines) == expected.digest.description)
            #expect(try await Self.wharf(["ls", "\(address)/team/app"], home: home) == "v2\n")
            #expect(try await Self.wharf(["digest", image], home: home) == "\(expected.digest)\n")

            let manifest = try await Self.wharf(["manifest", image], home: home)
            let skopeo = try await ExternalTool.skopeo.run([
                "inspect", "--raw", "--tls-verify=false", "docker://\(image)",
            ])
            #expect(manifest == skopeo)
            let decoded = try ImageManifest.decode(Data(manifest.utf8))
            let config = try await WharfBinary.run(["config", image], home: home)
            #expect(DigestHasher.digest(of: Array(config.standardOutput)) == decoded.config.digest)

            #expect(try await Self.wharf(["tag", image, "stable"], home: home) == "\(expected.digest)\n")
            #expect(
                try await Self.wharf(["ls", "--json", "\(address)/team/app"], home: home)
                    == "[\"stable\",\"v2\"]\n")

            // A copy between repositories of one registry mounts every blob.
            let copied = try await Self.wharf(
                ["copy", "--json", image, "\(address)/other/app:v2"], home: home)
            let report = try JSONDecoder().decode(CopyReportProbe.self, from: Data(copied.utf8))
            #expect(report.digest == expected.digest.description)
            #expect(report.mounted == decoded.layers.count + 1, "config and layers mounted: \(copied)")

            let pull = try await Self.wharf(["pull", "-q", image, pulled], home: home)
            #expect(pull == "\(expected.digest)\n")
            let local = try await ExternalTool.skopeo.run(["inspect", "--raw", "oci:\(pulled):v2"])
            #expect(local == skopeo)

            let catalog = try await Self.wharf(["catalog", "--json", address], home: home)
            #expect(try JSONDecoder().decode([String].self, from: Data(catalog.utf8)).contains("other/app"))

            #expect(
                try await Self.wharf(["delete", "\(address)/other/app:v2"], home: home)
                    == "\(expected.digest)\n")
            let gone = try await WharfBinary.run(["digest", "\(address)/other/app:v2"], home: home)
            #expect(gone.status == 1)
            #expect(String(decoding: gone.standardError, as: UTF8.self).contains("v2"))
        }
    }

    @Test(
        "an index is pushed whole; pull and digest pick one platform when asked",
        arguments: CommandPeer.allCases)
    func platforms(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("multi")
        let (index, arm) = try await MultiPlatformLayout.make(at: layout)
        let home = directory.appending("home")
        let pulled = directory.appending("pulled")
        try await peer.run(in: directory.path) { address in
            let image = "\(address)/multi/app:v1"
            #expect(
                try await Self.wharf(["push", "-q", "\(layout):v1", image], home: home) == "\(index.digest)\n"
            )
            #expect(try await Self.wharf(["digest", image], home: home) == "\(index.digest)\n")
            #expect(
                try await Self.wharf(["digest", "--platform", "linux/arm64", image], home: home)
                    == "\(arm.digest)\n")
            let pull = try await Self.wharf(
                ["pull", "-q", "--platform", "linux/arm64/v8", image, pulled], home: home)
            #expect(pull == "\(arm.digest)\n")
            #expect(try await OCILayoutStore(root: pulled, create: false).resolve("v1").digest == arm.digest)
            let all = try await Self.wharf(
                ["pull", "-q", "--all-platforms", image, pulled + "-all"], home: home)
            #expect(all == "\(index.digest)\n")
            let missing = try await WharfBinary.run(
                ["pull", "--platform", "linux/s390x", image, pulled + "-none"], home: home)
            #expect(missing.status == 1)
            #expect(String(decoding: missing.standardError, as: UTF8.self).contains("no image for platform"))
        }
    }

    @Test("copy moves an image from Distribution to wharf serve and back, digest-preserving")
    func registryToRegistry() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let expected = try await OCILayoutStore(root: layout, create: false).resolve("v2")
        let home = directory.appending("home")
        try await CommandPeer.distribution.run(in: directory.path) { distribution in
            try await CommandPeer.wharf.run(in: directory.path) { wharf in
                _ = try await Self.wharf(
                    ["push", "-q", "\(layout):v2", "\(distribution)/src/app:v2"], home: home)
                let there = try await Self.wharf(
                    ["copy", "-q", "\(distribution)/src/app:v2", "\(wharf)/dst/app:v2"], home: home)
                #expect(there == "\(expected.digest)\n")
                let back = try await Self.wharf(
                    ["copy", "-q", "\(wharf)/dst/app:v2", "\(distribution)/back/app:v2"], home: home)
                #expect(back == "\(expected.digest)\n")
                let raw = try await ExternalTool.skopeo.run([
                    "inspect", "--raw", "--tls-verify=false", "docker://\(distribution)/back/app:v2",
                ])
                #expect(DigestHasher.digest(of: Array(raw.utf8)) == expected.digest)
            }
        }
    }

    @Test(
        "login checks and stores credentials, later commands use them, logout removes them",
        .tags(.interop), .enabled(if: ExternalTool.htpasswd.shouldRun))
    func loginLogout() async throws {
        let directory = try TemporaryDirectory()
        let htpasswd = try await AuthFixture.htpasswd(in: directory.path, users: [("alice", "alice-secret")])
        let home = directory.appending("home")
        let auth = "auth:\n  htpasswd:\n    realm: wharf-test\n    path: \(htpasswd)\n"
        try await CommandPeer.distribution.run(in: directory.path, extraConfiguration: auth) { address in
            let wrong = try await WharfBinary.run(
                ["login", address, "-u", "alice", "--password-stdin"], home: home, input: Data("nope\n".utf8))
            #expect(wrong.status == 1)
            #expect(!FileManager.default.fileExists(atPath: home + "/.docker/config.json"))

            let login = try await WharfBinary.run(
                ["login", address, "-u", "alice", "--password-stdin"], home: home,
                input: Data("alice-secret\n".utf8))
            try #require(login.status == 0, "\(String(decoding: login.standardError, as: UTF8.self))")
            let attributes = try FileManager.default.attributesOfItem(atPath: home + "/.docker/config.json")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(try await Self.wharf(["catalog", address], home: home) == "")

            _ = try await Self.wharf(["logout", address], home: home)
            let denied = try await WharfBinary.run(["catalog", address], home: home)
            #expect(denied.status == 1)
            #expect(String(decoding: denied.standardError, as: UTF8.self).contains("401"))
            let creds = try await WharfBinary.run(
                ["catalog", "--creds", "alice:alice-secret", address], home: home)
            #expect(creds.status == 0)
            let environment = try await WharfBinary.run(
                ["catalog", address], home: home,
                environment: ["WHARF_USERNAME": "alice", "WHARF_PASSWORD": "alice-secret"])
            #expect(environment.status == 0)
        }
    }
}

private struct CopyReportProbe: Decodable {
    var digest: String
    var mounted: Int
}
