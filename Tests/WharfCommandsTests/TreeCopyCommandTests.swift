import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "wharf tree and copy --signatures against Distribution and wharf serve", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct TreeCopyCommandTests {
    struct Tree: Decodable, Equatable {
        struct Tagged: Decodable, Equatable {
            struct Layer: Decodable, Equatable {
                var digest: String
                var predicateType: String?
            }
            var tag: String
            var manifest: String
            var layers: [Layer]
        }
        struct Referrer: Decodable, Equatable {
            var digest: String
            var artifactType: String?
        }
        var image: String
        var signatures: Tagged?
        var attestations: Tagged?
        var referrers: [Referrer]
    }

    static func tree(_ image: String, home: String) async throws -> [Tree] {
        let result = try await SignCommandTests.wharf(["tree", image, "--json"], home: home)
        try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        return try JSONDecoder().decode([Tree].self, from: result.standardOutput)
    }

    @Test(
        "tree lists an image's signatures, attestations and referrers; copy --signatures carries them to another repository and a layout",
        arguments: CommandPeer.allCases)
    func treeAndCopy(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let multi = directory.appending("multi")
        let (index, arm) = try await MultiPlatformLayout.make(at: multi)
        let home = directory.appending("home")
        let keys = directory.appending("k")
        #expect(
            try await SignCommandTests.wharf(["key", "generate", "--output-key-prefix", keys], home: home)
                .status == 0)
        try await peer.run(in: directory.path) { address in
            let image = "\(address)/team/app:v1"
            let pushed = try await SignCommandTests.wharf(
                ["copy", "oci:\(multi):v1", image, "--all-platforms", "--quiet"], home: home)
            try #require(pushed.status == 0)
            let before = try await Self.tree(image, home: home)
            #expect(before.map(\.image).first == index.digest.description)
            #expect(
                before.allSatisfy { $0.signatures == nil && $0.attestations == nil && $0.referrers.isEmpty })

            for arguments in [
                ["sign", image, "--key", keys + ".key", "--recursive"],
                ["sign", image, "--key", keys + ".key", "--referrers"],
                ["attest", image, "--key", keys + ".key", "--predicate", keys + ".pub"],
            ] {
                let result = try await SignCommandTests.wharf(arguments, home: home)
                #expect(
                    result.status == 0,
                    "\(arguments[0]): \(String(decoding: result.standardError, as: UTF8.self))")
            }
            let source = try await Self.tree(image, home: home)
            let root = try #require(source.first)
            #expect(root.signatures?.tag == "sha256-\(index.digest.encoded).sig")
            #expect(root.signatures?.layers.count == 1)
            #expect(
                root.attestations?.layers.map(\.predicateType) == [
                    "https://cosign.sigstore.dev/attestation/v1"
                ])
            #expect(root.referrers.map(\.artifactType) == ["application/vnd.dev.cosign.artifact.sig.v1+json"])
            let armNode = try #require(source.first { $0.image == arm.digest.description })
            #expect(armNode.signatures?.layers.count == 1, "--recursive signed each platform's image")
            let text = try await SignCommandTests.wharf(["tree", image], home: home)
            let rendered = String(decoding: text.standardOutput, as: UTF8.self)
            #expect(
                rendered.hasPrefix("\(index.digest) v1\n├── signatures: sha256-\(index.digest.encoded).sig\n")
            )
            #expect(rendered.contains("└── referrers\n    └── sha256:"))

            // Another repository of the same registry, and an OCI layout.
            let copy = "\(address)/mirror/app:v1"
            let layout = directory.appending("copy-\(peer.rawValue)")
            for destination in [copy, "oci:\(layout):v1"] {
                let copied = try await SignCommandTests.wharf(
                    ["copy", image, destination, "--all-platforms", "--signatures", "--quiet"], home: home)
                #expect(copied.status == 0, "\(String(decoding: copied.standardError, as: UTF8.self))")
                let verified = try await SignCommandTests.wharf(
                    ["verify", destination, "--key", keys + ".pub", "--identity", "\(address)/team/app"],
                    home: home)
                #expect(verified.status == 0, "the signature is valid where it was copied to")
                let attested = try await SignCommandTests.wharf(
                    ["verify-attestation", destination, "--key", keys + ".pub"], home: home)
                #expect(attested.status == 0)
                let copiedTree = try await Self.tree(destination, home: home)
                #expect(copiedTree == source, "\(destination): \(copiedTree) vs \(source)")
            }
            let plain = "\(address)/plain/app:v1"
            #expect(
                try await SignCommandTests.wharf(["copy", image, plain, "--all-platforms", "-q"], home: home)
                    .status == 0)
            #expect(
                try await SignCommandTests.wharf(
                    ["verify", plain, "--key", keys + ".pub", "--identity", "any"], home: home
                ).status == 1, "without --signatures nothing comes along")
        }
    }
}
