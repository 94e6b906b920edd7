import Foundation
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "wharf attest and verify-attestation against Distribution and wharf serve", .tags(.interop),
    .enabled(
        if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct AttestCommandTests {
    struct Envelope: Decodable {
        var payloadType: String
        var payload: String
        var signatures: [[String: String]]
    }
    struct Statement: Decodable {
        var _type: String
        var predicateType: String
        var subject: [Subject]
    }
    struct Subject: Decodable {
        var name: String
        var digest: [String: String]
    }

    /// The statements in `verify-attestation`'s output: one envelope per line.
    static func statements(_ output: Data) throws -> [(Envelope, Statement, Data)] {
        try output.split(separator: 0x0a).map { line in
            let envelope = try JSONDecoder().decode(Envelope.self, from: Data(line))
            let payload = try #require(Data(base64Encoded: envelope.payload))
            return (envelope, try JSONDecoder().decode(Statement.self, from: payload), payload)
        }
    }

    @Test(
        "wharf attests an image's SBOM and a custom predicate; verify-attestation prints cosign's envelopes",
        arguments: CommandPeer.allCases)
    func attestAndVerify(peer: CommandPeer) async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let home = directory.appending("home")
        let keys = directory.appending("release")
        let other = directory.appending("other")
        for prefix in [keys, other] {
            #expect(
                try await SignCommandTests.wharf(
                    ["key", "generate", "--output-key-prefix", prefix], home: home
                )
                .status == 0)
        }
        let predicate = directory.appending("result.txt")
        try "all 412 tests passed\n".write(toFile: predicate, atomically: true, encoding: .utf8)

        try await peer.run(in: directory.path) { address in
            let image = "\(address)/team/app:v1"
            try await ExternalTool.skopeo.run(
                ["copy", "--dest-tls-verify=false", "oci:\(layout):v1", "docker://\(image)"])
            let digest = try await ExternalTool.skopeo.run(
                ["inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://\(image)"]
            ).trimmingCharacters(in: .whitespacesAndNewlines)
            let sbom = try await SignCommandTests.wharf(
                ["attest", image, "--key", keys + ".key", "--type", "cyclonedx"], home: home)
            #expect(sbom.status == 0, "\(String(decoding: sbom.standardError, as: UTF8.self))")
            let custom = try await SignCommandTests.wharf(
                ["attest", image, "--key", keys + ".key", "--predicate", predicate], home: home)
            #expect(custom.status == 0, "\(String(decoding: custom.standardError, as: UTF8.self))")

            let verified = try await SignCommandTests.wharf(
                ["verify-attestation", image, "--key", keys + ".pub", "--type", "any"], home: home)
            #expect(verified.status == 0)
            let statements = try Self.statements(verified.standardOutput)
            #expect(
                statements.map(\.1.predicateType) == [
                    "https://cyclonedx.org/bom", "https://cosign.sigstore.dev/attestation/v1",
                ])
            for (envelope, statement, _) in statements {
                #expect(envelope.payloadType == "application/vnd.in-toto+json")
                #expect(envelope.signatures.map { $0["keyid"] } == [""])
                #expect(statement._type == "https://in-toto.io/Statement/v0.1")
                #expect(statement.subject.map(\.name) == ["\(address)/team/app"])
                #expect(statement.subject.map { $0.digest["sha256"].map { "sha256:" + $0 } } == [digest])
            }
            // The envelopes printed are the stored layers, byte for byte.
            let tree = try await SignCommandTests.wharf(["tree", image, "--json"], home: home)
            struct Node: Decodable {
                struct Tagged: Decodable {
                    struct Layer: Decodable { var digest: String }
                    var layers: [Layer]
                }
                var attestations: Tagged?
            }
            let stored = try JSONDecoder().decode([Node].self, from: tree.standardOutput).first?.attestations?
                .layers
            #expect(
                verified.standardOutput.split(separator: 0x0a).map {
                    DigestHasher.digest(of: Array($0)).description
                }
                    == stored?.map(\.digest))
            struct BOM: Decodable { var predicate: Predicate }
            struct Predicate: Decodable { var bomFormat: String }
            #expect(
                try JSONDecoder().decode(BOM.self, from: statements[0].2).predicate.bomFormat == "CycloneDX")

            let byDefault = try await SignCommandTests.wharf(
                ["verify-attestation", image, "--key", keys + ".pub"], home: home)
            #expect(
                try Self.statements(byDefault.standardOutput).map(\.1.predicateType) == [
                    "https://cosign.sigstore.dev/attestation/v1"
                ], "cosign's default type is custom")
            let onlySBOM = try await SignCommandTests.wharf(
                ["verify-attestation", image, "--key", keys + ".pub", "--type", "cyclonedx"], home: home)
            #expect(try Self.statements(onlySBOM.standardOutput).count == 1)
            let noVuln = try await SignCommandTests.wharf(
                ["verify-attestation", image, "--key", keys + ".pub", "--type", "vuln"], home: home)
            #expect(noVuln.status == 1)
            let stranger = try await SignCommandTests.wharf(
                ["verify-attestation", image, "--key", other + ".pub", "--json"], home: home)
            #expect(stranger.status == 1)
            struct Report: Decodable {
                struct Rejected: Decodable { var reason: String }
                var verified: [String]
                var rejected: [Rejected]
            }
            let report = try JSONDecoder().decode(Report.self, from: stranger.standardOutput)
            #expect(report.verified.isEmpty)
            #expect(
                report.rejected.map(\.reason)
                    == Array(repeating: "the signature does not verify with the key", count: 2))

            let notJSON = try await SignCommandTests.wharf(
                ["attest", image, "--key", keys + ".key", "--type", "cyclonedx", "--predicate", predicate],
                home: home)
            #expect(notJSON.status == 1)
            #expect(String(decoding: notJSON.standardError, as: UTF8.self).contains("not JSON"))

            try await ExternalTool.skopeo.run(
                ["copy", "--dest-tls-verify=false", "oci:\(layout):v2", "docker://\(image)"])
            #expect(
                try await SignCommandTests.wharf(
                    ["verify-attestation", image, "--key", keys + ".pub"], home: home
                )
                .status == 1,
                "the tag moved to an image nobody attested")
        }
    }

    @Test("wharf scan --format cosign-vuln is a predicate attest --type vuln takes; attest --db scans itself")
    func vulnerabilityAttestation() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let database = directory.appending("osv")
        try FileManager.default.createDirectory(
            atPath: database + "/debian", withIntermediateDirectories: true)
        let home = directory.appending("home")
        let keys = directory.appending("k")
        #expect(
            try await SignCommandTests.wharf(["key", "generate", "--output-key-prefix", keys], home: home)
                .status == 0)
        let identity = ["--identity", "registry.example.com/team/debian"]
        let predicate = directory.appending("vuln.json")
        let scan = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", database, "--format", "cosign-vuln", "--output", predicate],
            home: home)
        #expect(scan.status == 0, "\(String(decoding: scan.standardError, as: UTF8.self))")
        struct Vuln: Decodable {
            struct Scanner: Decodable {
                struct Result: Decodable { var digest: String }
                var uri: String
                var result: Result
            }
            var scanner: Scanner
            var metadata: [String: String]
        }
        let written = try JSONDecoder().decode(
            Vuln.self, from: Data(contentsOf: URL(fileURLWithPath: predicate)))
        #expect(written.scanner.uri.hasPrefix("pkg:generic/wharf@"))
        #expect(written.scanner.result.digest.hasPrefix("sha256:"), "the result is Wharf's JSON report")
        #expect(written.metadata.keys.sorted() == ["scanFinishedOn", "scanStartedOn"])

        let fromFile = try await SignCommandTests.wharf(
            [
                "attest", "oci:\(layout):v1", "--key", keys + ".key", "--type", "vuln", "--predicate",
                predicate,
            ]
                + identity, home: home)
        #expect(fromFile.status == 0, "\(String(decoding: fromFile.standardError, as: UTF8.self))")
        let scanned = try await SignCommandTests.wharf(
            ["attest", "oci:\(layout):v1", "--key", keys + ".key", "--type", "vuln", "--db", database]
                + identity,
            home: home)
        #expect(scanned.status == 0, "\(String(decoding: scanned.standardError, as: UTF8.self))")
        let verified = try await SignCommandTests.wharf(
            ["verify-attestation", "oci:\(layout):v1", "--key", keys + ".pub", "--type", "vuln"], home: home)
        #expect(verified.status == 0)
        let statements = try Self.statements(verified.standardOutput)
        #expect(statements.count == 2)
        #expect(
            statements.allSatisfy { $0.1.predicateType == "https://cosign.sigstore.dev/attestation/vuln/v1" })
        #expect(statements.allSatisfy { $0.1.subject.map(\.name) == ["registry.example.com/team/debian"] })
    }
}
