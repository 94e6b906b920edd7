import Foundation
import Testing
import WharfContent
import WharfTestSupport

@testable import WharfSign

/// Wharf's attestations against the reference implementations: DSSE envelopes from
/// `securesystemslib` and in-toto statements from `in-toto-attestation` (its protobuf
/// schema, parsed strictly), in both directions.
@Suite(
    "Attestations against securesystemslib and in-toto-attestation", .tags(.interop),
    .enabled(if: PythonModule.securesystemslib.shouldRun && PythonModule.inTotoAttestation.shouldRun))
struct PythonAttestationInteropTests {
    static let script = #"""
        import json, sys
        from google.protobuf import json_format
        from in_toto_attestation.v1 import statement_pb2
        from in_toto_attestation.v1.resource_descriptor import ResourceDescriptor
        from in_toto_attestation.v1.statement import Statement
        from securesystemslib.dsse import Envelope
        from securesystemslib.signer import CryptoSigner, SSlibKey

        mode = sys.argv[1]
        if mode == "check":  # verify a Wharf envelope; parse and validate its statement
            envelope = Envelope.from_dict(json.load(open(sys.argv[2])))
            # cosign's envelopes carry an empty key ID; securesystemslib matches on it.
            key = SSlibKey("", "ecdsa", "ecdsa-sha2-nistp256", {"public": open(sys.argv[3]).read()})
            envelope.verify([key], 1)
            assert envelope.payload_type == "application/vnd.in-toto+json", envelope.payload_type
            statement = json_format.Parse(envelope.payload, statement_pb2.Statement())  # unknown fields fail
            assert statement.type == "https://in-toto.io/Statement/v0.1", statement.type
            statement.type = "https://in-toto.io/Statement/v1"  # the library validates v1 only
            Statement.copy_from_pb(statement).validate()
            print(json.dumps({
                "predicateType": statement.predicate_type,
                "subjects": [{"name": s.name, "digest": dict(s.digest)} for s in statement.subject],
                "predicate": json_format.MessageToDict(statement.predicate),
            }, sort_keys=True))
        elif mode == "make":  # a v1 statement about a digest, signed with a new key
            subject = ResourceDescriptor(name=sys.argv[3], digest={"sha256": sys.argv[4]}).pb
            statement = Statement([subject], "https://example.com/test-result/v1", {"passed": True})
            envelope = Envelope(json_format.MessageToJson(statement.pb).encode(), "application/vnd.in-toto+json", {})
            signer = CryptoSigner.generate_ecdsa()
            envelope.sign(signer)
            json.dump(envelope.to_dict(), open(sys.argv[2], "w"))
            print(signer.public_key.keyval["public"], end="")
        """#

    static func python(
        _ arguments: [String], in directory: borrowing TemporaryDirectory
    ) async throws -> String {
        let script = directory.appending("oracle.py")
        if !FileManager.default.fileExists(atPath: script) {
            try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        }
        return try await ProcessRunner.run("/usr/bin/env", ["python3", script] + arguments)
    }

    @Test("securesystemslib verifies Wharf's envelopes and in-toto-attestation reads their statements")
    func wharfToPython() async throws {
        let directory = try TemporaryDirectory()
        let store = MemoryStore()
        let image = try await SignatureTests.image(in: store)
        let key = SigningKey.generate()
        let publicPath = directory.appending("cosign.pub")
        try key.verificationKey.pem.write(toFile: publicPath, atomically: true, encoding: .utf8)
        let predicates: [AttestationPredicate] = [
            try AttestationPredicate(type: PredicateType.cycloneDX, json: AttestationTests.sbom),
            .custom("tests passed <100%>", timestamp: Date(timeIntervalSince1970: 1_764_633_600)),
        ]
        for predicate in predicates {
            try await ImageAttester(key: key).attest(
                image, repository: "registry.example.com/team/app", predicate: predicate, in: store,
                replace: true)
        }
        let verified = try await AttestationVerifier(keys: [key.verificationKey]).verify(image, in: store)
        try #require(verified.verified.count == 2)
        var seen: [String: Any] = [:]
        for (index, attestation) in verified.verified.enumerated() {
            let path = directory.appending("envelope-\(index).json")
            try Data(attestation.envelope.bytes).write(to: URL(fileURLWithPath: path))
            let output = try await Self.python(["check", path, publicPath], in: directory)
            struct Report: Decodable {
                var predicateType: String
                var subjects: [[String: Subject]]
            }
            let report = try JSONDecoder().decode(Report.self, from: Data(output.utf8))
            #expect(
                report.subjects == [
                    [
                        "name": .name("registry.example.com/team/app"),
                        "digest": .digest(["sha256": image.digest.encoded]),
                    ]
                ])
            let whole = try #require(
                try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            seen[report.predicateType] = whole["predicate"]
        }
        #expect((seen[PredicateType.cycloneDX] as? [String: Any])?["bomFormat"] as? String == "CycloneDX")
        #expect(
            seen[PredicateType.custom] as? [String: String] == [
                "Data": "tests passed <100%>", "Timestamp": "2025-12-02T00:00:00Z",
            ])

        // A tampered envelope is refused by the oracle too.
        var tampered = verified.verified[0].envelope
        tampered.payload[10] ^= 1
        let path = directory.appending("tampered.json")
        try Data(tampered.bytes).write(to: URL(fileURLWithPath: path))
        await #expect(throws: (any Error).self) {
            try await Self.python(["check", path, publicPath], in: directory)
        }
    }

    /// A subject's field as the oracle prints it: a name or a digest map.
    enum Subject: Decodable, Equatable {
        case name(String)
        case digest([String: String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let name = try? container.decode(String.self) {
                self = .name(name)
            } else {
                self = .digest(try container.decode([String: String].self))
            }
        }
    }

    @Test("an in-toto v1 statement that securesystemslib signed verifies in Wharf")
    func pythonToWharf() async throws {
        let directory = try TemporaryDirectory()
        let store = MemoryStore()
        let image = try await SignatureTests.image(in: store)
        let path = directory.appending("envelope.json")
        let publicPEM = try await Self.python(
            ["make", path, "registry.example.com/team/app", image.digest.encoded], in: directory)
        var attestations = SignatureImage()
        attestations.layers.append(
            SignatureImage.Layer(
                payload: Array(try Data(contentsOf: URL(fileURLWithPath: path))), annotations: [:],
                mediaType: DSSEEnvelope.mediaType))
        try await SignatureImageWriter.push(
            attestations, to: store, tag: SignatureImage.attestationTag(for: image.digest), subject: nil)
        let key = try VerificationKey(pem: publicPEM)
        let result = try await AttestationVerifier(keys: [key]).verify(image, in: store)
        let attestation = try #require(result.verified.first)
        #expect(attestation.statement.type == InTotoStatement.version1)
        #expect(attestation.statement.predicateType == "https://example.com/test-result/v1")
        #expect(
            attestation.envelope.signatures.first?.keyID.isEmpty == false, "securesystemslib sets key IDs")
        struct Result: Decodable, Equatable { var passed: Bool }
        #expect(try attestation.statement.predicate(as: Result.self) == Result(passed: true))
        let other = try await AttestationVerifier(keys: [SigningKey.generate().verificationKey]).verify(
            image, in: store)
        #expect(other.rejected.map(\.reason) == [.badSignature])
    }
}
