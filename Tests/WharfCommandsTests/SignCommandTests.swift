import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "wharf key, sign and verify against Distribution and wharf serve", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct SignCommandTests {
    struct VerifyOutput: Decodable {
        struct Verified: Decodable {
            var identity: String
            var digest: String
            var annotations: [String: String]
        }
        var verified: [Verified]
    }

    static func wharf(
        _ arguments: [String], home: String, passphrase: String = "pass"
    ) async throws
        -> ProcessRunner.Result
    {
        try await WharfBinary.run(arguments, home: home, environment: ["COSIGN_PASSWORD": passphrase])
    }

    @Test(
        "a key made by wharf signs an image; verify accepts it (JSON), refuses another key and the moved tag",
        arguments: CommandPeer.allCases)
    func signAndVerify(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let home = directory.appending("home")
        let keys = directory.appending("release")
        let other = directory.appending("other")
        #expect(
            try await Self.wharf(["key", "generate", "--output-key-prefix", keys], home: home).status == 0)
        #expect(
            try await Self.wharf(["key", "generate", "--output-key-prefix", other], home: home).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: keys + ".key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the private key is the owner's alone")
        let again = try await Self.wharf(["key", "generate", "--output-key-prefix", keys], home: home)
        #expect(again.status == 1, "an existing key is never overwritten")

        try await peer.run(in: directory.path) { address in
            let image = "\(address)/team/app:v1"
            try await ExternalTool.skopeo.run(
                ["copy", "--dest-tls-verify=false", "oci:\(layout):v1", "docker://\(image)"])
            let signed = try await Self.wharf(
                ["sign", image, "--key", keys + ".key", "-a", "ci=42"], home: home)
            #expect(signed.status == 0, "\(String(decoding: signed.standardError, as: UTF8.self))")
            let twice = try await Self.wharf(
                ["sign", image, "--key", keys + ".key", "-a", "ci=42"], home: home)
            #expect(String(decoding: twice.standardOutput, as: UTF8.self).hasPrefix("Already signed"))
            let wrongPassphrase = try await Self.wharf(
                ["sign", image, "--key", keys + ".key"], home: home, passphrase: "nope")
            #expect(wrongPassphrase.status == 1)
            #expect(
                String(decoding: wrongPassphrase.standardError, as: UTF8.self).contains("passphrase is wrong")
            )

            let verified = try await Self.wharf(
                ["verify", image, "--key", keys + ".pub", "--json"], home: home)
            #expect(verified.status == 0)
            let output = try JSONDecoder().decode(VerifyOutput.self, from: verified.standardOutput)
            let digest = try await ExternalTool.skopeo.run(
                ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(image)"])
            #expect(output.verified.map(\.identity) == ["\(address)/team/app"])
            #expect(output.verified.map(\.digest) == [digest.trimmingCharacters(in: .whitespacesAndNewlines)])
            #expect(output.verified.first?.annotations == ["ci": "42"])
            #expect(try await Self.wharf(["verify", image, "--key", other + ".pub"], home: home).status == 1)
            let elsewhere = try await Self.wharf(
                ["verify", image, "--key", keys + ".pub", "--identity", "\(address)/team/other"], home: home)
            #expect(elsewhere.status == 1, "a signature names its repository")

            try await ExternalTool.skopeo.run(
                ["copy", "--dest-tls-verify=false", "oci:\(layout):v2", "docker://\(image)"])
            #expect(
                try await Self.wharf(["verify", image, "--key", keys + ".pub"], home: home).status == 1,
                "the tag moved to an image nobody signed")
        }
    }

    @Test("an index signed with --recursive has every platform's image signed too; without it only the index")
    func recursive() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("multi")
        let (index, arm) = try await MultiPlatformLayout.make(at: layout)
        let home = directory.appending("home")
        let keys = directory.appending("k")
        #expect(
            try await Self.wharf(["key", "generate", "--output-key-prefix", keys], home: home).status == 0)
        let identity = ["--identity", "registry.example.com/team/multi"]
        let plain = try await Self.wharf(
            ["sign", "oci:\(layout):v1", "--key", keys + ".key"] + identity, home: home)
        #expect(plain.status == 0, "\(String(decoding: plain.standardError, as: UTF8.self))")
        let verifyArm = ["verify", "oci:\(layout)@\(arm.digest)", "--key", keys + ".pub"] + identity
        #expect(try await Self.wharf(verifyArm, home: home).status == 1, "only the index was signed")
        let recursive = try await Self.wharf(
            ["sign", "oci:\(layout):v1", "--key", keys + ".key", "--recursive"] + identity, home: home)
        #expect(recursive.status == 0)
        #expect(try await Self.wharf(verifyArm, home: home).status == 0)
        #expect(
            try await Self.wharf(
                ["verify", "oci:\(layout)@\(index.digest)", "--key", keys + ".pub"] + identity, home: home
            ).status == 0)
    }
}
