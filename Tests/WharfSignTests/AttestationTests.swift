import Foundation
import Testing
import WharfContent
import WharfImage

@testable import WharfSign

@Suite("Attestations in content stores")
struct AttestationTests {
    static let sbom = Array(#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[]}"#.utf8)

    @Test("the statement is cosign's shape: _type, predicateType, subject, predicate; Go's key order in maps")
    func statementBytes() throws {
        let digest = DigestHasher.digest(of: Array("manifest".utf8))
        let predicate = try AttestationPredicate(
            type: PredicateType.cycloneDX,
            json: Array(#"{"z":1,"a":[true,null,"<"],"B":{"y":2.5,"x":1e-7}}"#.utf8))
        let statement = InTotoStatement(
            subjects: [.init(repository: "registry.example.com/team/app", manifest: digest)],
            predicate: predicate)
        #expect(
            String(decoding: statement.bytes, as: UTF8.self)
                == #"{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://cyclonedx.org/bom","subject":[{"name":"registry.example.com/team/app","digest":{"sha256":"\#(digest.encoded)"}}],"predicate":{"B":{"x":1e-7,"y":2.5},"a":[true,null,"\u003c"],"z":1}}"#
        )
        #expect(try InTotoStatement(parsing: statement.bytes) == statement)
    }

    @Test(
        "numbers are written as Go's encoding/json writes a float64",
        arguments: [
            (0.0, "0"), (-0.0, "-0"), (1, "1"), (100, "100"), (1.5, "1.5"), (-2.25, "-2.25"),
            (0.000001, "0.000001"), (1e-7, "1e-7"), (1.5e-10, "1.5e-10"), (1e20, "100000000000000000000"),
            (1e21, "1e+21"), (123456789012345680000, "123456789012345680000"), (3.0e100, "3e+100"),
            (0.1, "0.1"), (9007199254740993, "9007199254740992"),
        ])
    func goNumbers(_ number: Double, _ expected: String) {
        #expect(GoJSON.formatted(number) == expected)
    }

    @Test("cosign's predicate types: custom wraps text, spdx keeps text, vuln keeps cosign's field order")
    func cosignPredicates() throws {
        let time = Date(timeIntervalSince1970: 1_764_633_600)  // 2025-12-02T00:00:00Z
        let custom = try AttestationPredicate(
            cosignType: "custom", content: Array("tests passed\n".utf8), timestamp: time)
        #expect(custom.type == PredicateType.custom)
        #expect(
            GoJSON.encode(custom.value) == #"{"Data":"tests passed\n","Timestamp":"2025-12-02T00:00:00Z"}"#)
        let spdx = try AttestationPredicate(
            cosignType: "spdx", content: Array(#"{"spdxVersion":"SPDX-2.3"}"#.utf8))
        #expect(spdx.type == PredicateType.spdx)
        #expect(GoJSON.encode(spdx.value) == #""{\"spdxVersion\":\"SPDX-2.3\"}""#)
        let spdxJSON = try AttestationPredicate(
            cosignType: "spdxjson", content: Array(#"{"spdxVersion":"SPDX-2.3"}"#.utf8))
        #expect(GoJSON.encode(spdxJSON.value) == #"{"spdxVersion":"SPDX-2.3"}"#)
        let vuln = try AttestationPredicate(
            cosignType: "vuln",
            content: Array(
                #"{"metadata":{"scanFinishedOn":"2025-12-02T00:00:05Z","scanStartedOn":"2025-12-02T00:00:00Z"},"scanner":{"result":{"n":0},"uri":"https://wharf","version":"1","extra":true},"invocation":{}}"#
                    .utf8))
        #expect(vuln.type == PredicateType.vulnerabilities)
        #expect(
            GoJSON.encode(vuln.value)
                == #"{"invocation":{"parameters":null,"uri":"","event_id":"","builder.id":""},"scanner":{"uri":"https://wharf","version":"1","db":{"uri":"","version":""},"result":{"n":0}},"metadata":{"scanStartedOn":"2025-12-02T00:00:00Z","scanFinishedOn":"2025-12-02T00:00:05Z"}}"#
        )
        let nanoseconds = try AttestationPredicate(
            cosignType: "vuln",
            content: Array(
                #"{"metadata":{"scanStartedOn":"2025-12-02T01:00:00.123456789+01:00","scanFinishedOn":"2025-12-02T00:00:01Z"}}"#
                    .utf8))
        #expect(
            String(decoding: nanoseconds.json, as: UTF8.self).hasSuffix(
                #""metadata":{"scanStartedOn":"2025-12-02T01:00:00.123456789+01:00","scanFinishedOn":"2025-12-02T00:00:01Z"}}"#
            ), "times are kept as written, as Go's time.Time keeps them")
        #expect(
            try AttestationPredicate(cosignType: "https://example.com/p/v1", content: Array("{}".utf8)).type
                == "https://example.com/p/v1")
        #expect(
            try AttestationPredicate(cosignType: "cyclonedx", content: Array("[]".utf8)).json
                == Array("[]".utf8))
        #expect(throws: SignatureError.self) {
            try AttestationPredicate(cosignType: "https://example.com/p/v1", content: Array("[]".utf8))
        }
        #expect(throws: SignatureError.self) {
            try AttestationPredicate(cosignType: "sbom", content: Array("{}".utf8))
        }
        #expect(throws: SignatureError.self) {
            try AttestationPredicate(cosignType: "vuln", content: Array("not json".utf8))
        }
    }

    @Test(
        "attesting appends to cosign's .att image; replace drops the same type; each verifies",
        arguments: [false, true])
    func attestAtTheTag(replace: Bool) async throws {
        let store = MemoryStore()
        let image = try await SignatureTests.image(in: store)
        let key = SigningKey.generate()
        let attester = ImageAttester(key: key)
        let repository = "registry.example.com/team/app"
        let sbom = try AttestationPredicate(type: PredicateType.cycloneDX, json: Self.sbom)
        let outcome = try await attester.attest(image, repository: repository, predicate: sbom, in: store)
        let tag = SignatureImage.attestationTag(for: image.digest)
        #expect(outcome == .stored(.tag(tag)))
        try await attester.attest(image, repository: repository, predicate: .custom("ok"), in: store)
        try await attester.attest(image, repository: repository, predicate: sbom, in: store, replace: replace)

        let stored = try #require(try await SignatureReader.image(at: tag, in: store))
        #expect(stored.layers.count == (replace ? 2 : 3))
        #expect(stored.layers.allSatisfy { $0.descriptor.mediaType == DSSEEnvelope.mediaType })
        #expect(
            stored.layers.allSatisfy { $0.descriptor.annotations?[SignatureImage.signatureAnnotation] == "" })
        if replace {
            #expect(
                stored.layers.map { $0.descriptor.annotations?["predicateType"] } == [
                    PredicateType.cycloneDX, PredicateType.custom,
                ])
        }
        let verifier = AttestationVerifier(keys: [key.verificationKey])
        let all = try await verifier.verify(image, in: store)
        #expect(all.verified.count == stored.layers.count && all.rejected.isEmpty)
        let sboms = try await verifier.verify(image, in: store, predicateType: PredicateType.cycloneDX)
        #expect(sboms.verified.count == (replace ? 1 : 2))
        let first = try #require(sboms.verified.first)
        #expect(first.statement.subjects == [.init(repository: repository, manifest: image.digest)])
        #expect(first.envelope.signatures.map(\.keyID) == [""])
        struct BOM: Decodable, Equatable { var bomFormat: String }
        #expect(try first.statement.predicate(as: BOM.self) == BOM(bomFormat: "CycloneDX"))

        let signatures = try await SignatureVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(signatures.verified.isEmpty && signatures.rejected.isEmpty, "attestations are not signatures")
    }

    @Test("an attestation stored as a referrer has the in-toto artifact type and verifies")
    func attestAsReferrer() async throws {
        let store = MemoryStore()
        let image = try await SignatureTests.image(in: store)
        let key = SigningKey.generate()
        let outcome = try await ImageAttester(key: key).attest(
            image, repository: "r/app", predicate: .custom("hello"), in: store, placement: .referrer)
        guard case .stored(.referrer(let digest)) = outcome else { Issue.record("\(outcome)"); return }
        let referrers = try await store.referrers(of: image, artifactType: nil)
        #expect(referrers.map(\.digest) == [digest])
        #expect(referrers.first?.artifactType == SignaturePlacement.attestationArtifactType)
        let result = try await AttestationVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(result.verified.map(\.source) == [.referrer(digest)])
    }

    @Test("an attestation copied onto another image, or of another payload type, never verifies")
    func misplacedAttestations() async throws {
        let store = MemoryStore()
        let image = try await SignatureTests.image(in: store, seed: 1)
        let other = try await SignatureTests.image(in: store, seed: 2)
        let key = SigningKey.generate()
        try await ImageAttester(key: key).attest(
            image, repository: "r/app", predicate: .custom("x"), in: store)
        let attestations = try #require(
            try await SignatureReader.image(at: SignatureImage.attestationTag(for: image.digest), in: store))
        try await SignatureImageWriter.push(
            attestations, to: store, tag: SignatureImage.attestationTag(for: other.digest), subject: nil)
        let copied = try await AttestationVerifier(keys: [key.verificationKey]).verify(other, in: store)
        #expect(copied.verified.isEmpty)
        #expect(
            copied.rejected.map(\.reason) == [
                .digestMismatch(signed: "sha256:\(image.digest.encoded)", expected: other.digest.description)
            ])

        let statement = InTotoStatement(
            subjects: [.init(repository: "r/app", manifest: image.digest)], predicate: .custom("x"))
        let foreign = try DSSEEnvelope(signing: statement.bytes, payloadType: "application/json", with: key)
        let hostile: [[UInt8]] = [
            foreign.bytes, Array("not json".utf8),
            Array(#"{"payloadType":"application/vnd.in-toto+json","payload":"%%%","signatures":[]}"#.utf8),
            try DSSEEnvelope(
                signing: Array("[]".utf8), payloadType: DSSEEnvelope.inTotoPayloadType, with: key
            ).bytes,
        ]
        var image3 = SignatureImage()
        for bytes in hostile {
            image3.layers.append(
                SignatureImage.Layer(payload: bytes, annotations: [:], mediaType: DSSEEnvelope.mediaType))
        }
        try await SignatureImageWriter.push(
            image3, to: store, tag: SignatureImage.attestationTag(for: other.digest), subject: nil)
        let result = try await AttestationVerifier(keys: [key.verificationKey]).verify(other, in: store)
        #expect(result.verified.isEmpty)
        #expect(result.rejected.count == 4)
        #expect(result.rejected[0].reason == .wrongPayloadType("application/json"))
        #expect(
            result.rejected[1].reason
                == .malformedEnvelope("not a DSSE envelope (payloadType, payload, signatures)"))
        #expect(result.rejected[2].reason == .malformedEnvelope("the payload is not base64"))
        if case .malformedPayload = result.rejected[3].reason {
        } else {
            Issue.record("\(result.rejected[3])")
        }
    }

    @Test("DSSE's pre-authentication encoding counts bytes, not characters")
    func preAuthenticationEncoding() {
        let envelope = DSSEEnvelope(payloadType: "t/é", payload: Array("héllo".utf8))
        #expect(envelope.preAuthenticationEncoding == Array("DSSEv1 4 t/é 6 héllo".utf8))
        #expect(DSSEEnvelope.base64("aGk") == Array("hi".utf8))
        #expect(DSSEEnvelope.base64("-_8=") == [0xfb, 0xff])
    }
}
