import Foundation
import Testing
import WharfContent

@testable import WharfSign

/// Attestations `cosign attest-blob` made with a key, as published in cosign's own tests
/// (cmd/cosign/cli/verify/verify_blob_attestation_test.go): DSSE envelopes in the shape
/// cosign stores in `.att` layers, signed over the pre-authentication encoding, about the
/// blob `some-payload`.
@Suite("Real cosign attestations")
struct CosignAttestationVectorTests {
    static let publicKey = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAESF79b1ToAtoakhBOHEU5UjnEiihV
        gZPFIp557+TOoDxf14FODWc+sIPETk0OgCplAk60doVXbCv33IU4rXZHrg==
        -----END PUBLIC KEY-----
        """
    /// sha256("some-payload"), the subject cosign's vectors attest.
    static let blob = DigestHasher.digest(of: Array("some-payload".utf8))

    static let singleSubject = [
        #"{"payloadType":"application/vnd.in-toto+json","payload":"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90b"#,
        #"y5pby9TdGF0ZW1lbnQvdjAuMSIsInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjA"#,
        #"uMiIsInN1YmplY3QiOlt7Im5hbWUiOiJibG9iIiwiZGlnZXN0Ijp7InNoYTI1NiI6IjY1ODc4MWNkNGVkOWJjYTYwZ"#,
        #"GFjZDA5ZjdiYjkxNGJiNTE1MDJlOGI1ZDYxOWY1N2YzOWExZDY1MjU5NmNjMjQifX1dLCJwcmVkaWNhdGUiOnsiYnV"#,
        #"pbGRlciI6eyJpZCI6IjIifSwiYnVpbGRUeXBlIjoieCIsImludm9jYXRpb24iOnsiY29uZmlnU291cmNlIjp7fX19f"#,
        #"Q==","signatures":[{"keyid":"","sig":"MEUCIA8KjZqkrt90fzBojSwwtj3Bqb41E6ruxQk97TLnpzdYAiEA"#,
        #"zOAjOTzyvTHqbpFDAn6zhrg6EZv7kxK5faRoVGYMh2c="}]}"#,
    ].joined()
    static let twoSubjects = [
        #"{"payloadType":"application/vnd.in-toto+json","payload":"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90b"#,
        #"y5pby9TdGF0ZW1lbnQvdjAuMSIsInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjA"#,
        #"uMiIsInN1YmplY3QiOlt7Im5hbWUiOiJibG9iIiwiZGlnZXN0Ijp7InNoYTI1NiI6IjY1ODc4MWNkNGVkOWJjYTYwZ"#,
        #"GFjZDA5ZjdiYjkxNGJiNTE1MDJlOGI1ZDYxOWY1N2YzOWExZDY1MjU5NmNjMjQifX0seyJuYW1lIjoib3RoZXIiLCJ"#,
        #"kaWdlc3QiOnsic2hhMjU2IjoiMGRhNTU5YzJmMTI3MjMwYTFmYWJjZmJiMjBkNWRiOGRiYTc2NTkyM2M2ZWZjNmY0O"#,
        #"DMxNjUxMTljNGMyYzVkNCJ9fV0sInByZWRpY2F0ZSI6eyJidWlsZGVyIjp7ImlkIjoiMiJ9LCJidWlsZFR5cGUiOiJ"#,
        #"4IiwiaW52b2NhdGlvbiI6eyJjb25maWdTb3VyY2UiOnt9fX19","signatures":[{"keyid":"","sig":"MEYCIQ"#,
        #"Cm2Gap74sl92D/4WahXvbTqk4UBhvloz+x6RfmMAu2igIhAMqtEWoCjZFvJfebqD2Ejy7i9Ghg4kEtXNumWKmPmtJa"#,
        #""}]}"#,
    ].joined()
    static let twoOtherSubjects = [
        #"{"payloadType":"application/vnd.in-toto+json","payload":"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90b"#,
        #"y5pby9TdGF0ZW1lbnQvdjAuMSIsInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjA"#,
        #"uMiIsInN1YmplY3QiOlt7Im5hbWUiOiJibG9iIiwiZGlnZXN0Ijp7InNoYTI1NiI6ImE2ODIzZjljNzA2MjBjYmZjN"#,
        #"TkxOGI1ZTZkNGFhMTc0YThhMjBkNTZkYTVmMTA2YjY1NjI3NGMwNWQ2ZmUxYTcifX0seyJuYW1lIjoib3RoZXIiLCJ"#,
        #"kaWdlc3QiOnsic2hhMjU2IjoiMGRhNTU5YzJmMTI3MjMwYTFmYWJjZmJiMjBkNWRiOGRiYTc2NTkyM2M2ZWZjNmY0O"#,
        #"DMxNjUxMTljNGMyYzVkNCJ9fV0sInByZWRpY2F0ZSI6eyJidWlsZGVyIjp7ImlkIjoiMiJ9LCJidWlsZFR5cGUiOiJ"#,
        #"4IiwiaW52b2NhdGlvbiI6eyJjb25maWdTb3VyY2UiOnt9fX19","signatures":[{"keyid":"","sig":"MEUCIQ"#,
        #"DhYl+VRPmqaIslqu/rXdUnw6VjPqtxDo8lwjszuqiz2gIgCMEUeqFyFAYz723b/I26/Jw+E7bAK0LjxIlPLoLlOs4="#,
        #""}]}"#,
    ].joined()
    static let noSubject = [
        #"{"payloadType":"application/vnd.in-toto+json","payload":"eyJfdHlwZSI6Imh0dHBzOi8vaW4tdG90b"#,
        #"y5pby9TdGF0ZW1lbnQvdjAuMSIsInByZWRpY2F0ZVR5cGUiOiJodHRwczovL3Nsc2EuZGV2L3Byb3ZlbmFuY2UvdjA"#,
        #"uMiIsInN1YmplY3QiOltdLCJwcmVkaWNhdGUiOnsiYnVpbGRlciI6eyJpZCI6IjIifSwiYnVpbGRUeXBlIjoieCIsI"#,
        #"mludm9jYXRpb24iOnsiY29uZmlnU291cmNlIjp7fX19fQ==","signatures":[{"keyid":"","sig":"MEYCIQCk"#,
        #"LEv6HYgK/d7T+Cw57WnFFhqTL/VjP2T09CkuvMgl4gIhAOXA3IaYh53QlqY5yU8qfqErfkkFj9DjFgij/Q466rRV"}"#,
        #"]}"#,
    ].joined()

    @Test("the vectors' subject is sha256 of some-payload")
    func subject() {
        #expect(
            Self.blob.description == "sha256:658781cd4ed9bca60dacd09f7bb914bb51502e8b5d619f57f39a1d652596cc24"
        )
    }

    @Test("Wharf reads cosign's envelope, writes it back byte for byte, and checks its signature over PAE")
    func envelope() throws {
        let envelope = try DSSEEnvelope(parsing: Array(Self.singleSubject.utf8))
        #expect(envelope.bytes == Array(Self.singleSubject.utf8))
        #expect(envelope.payloadType == DSSEEnvelope.inTotoPayloadType)
        let key = try VerificationKey(pem: Self.publicKey)
        #expect(envelope.verifyingKeys(among: [key]) == [key])
        #expect(
            !key.isValidSignature(envelope.signatures[0].bytes, for: envelope.payload), "PAE, not the payload"
        )
        var tampered = envelope
        tampered.payload[tampered.payload.count - 2] ^= 1
        #expect(tampered.verifyingKeys(among: [key]).isEmpty)
        let statement = try InTotoStatement(parsing: envelope.payload)
        #expect(statement.type == InTotoStatement.version01)
        #expect(statement.predicateType == PredicateType.slsaProvenance02)
        #expect(statement.subjects == [.init(name: "blob", digest: ["sha256": Self.blob.encoded])])
        struct Provenance: Decodable, Equatable {
            struct Builder: Decodable, Equatable { var id: String }
            var builder: Builder
            var buildType: String
        }
        #expect(
            try statement.predicate(as: Provenance.self)
                == Provenance(builder: .init(id: "2"), buildType: "x"))
    }

    @Test("stored as cosign stores them, cosign's attestations verify only for a subject they name")
    func throughTheVerifier() async throws {
        let key = try VerificationKey(pem: Self.publicKey)
        let subject = Descriptor(mediaType: .ociManifest, digest: Self.blob, size: 12)
        var attestations = SignatureImage()
        for envelope in [Self.singleSubject, Self.twoSubjects, Self.twoOtherSubjects, Self.noSubject] {
            attestations.layers.append(
                SignatureImage.Layer(
                    payload: Array(envelope.utf8),
                    annotations: [
                        SignatureImage.signatureAnnotation: "",
                        ImageAttester.predicateTypeAnnotation: PredicateType.slsaProvenance02,
                    ],
                    mediaType: DSSEEnvelope.mediaType))
        }
        let store = MemoryStore()
        let tag = SignatureImage.attestationTag(for: Self.blob)
        try await SignatureImageWriter.push(attestations, to: store, tag: tag, subject: nil)

        let result = try await AttestationVerifier(keys: [key]).verify(subject, in: store)
        #expect(result.verified.count == 2, "the single subject and the first of two")
        #expect(result.verified.allSatisfy { $0.key == key && $0.source == .tag(tag) })
        #expect(result.rejected.count == 2)
        #expect(
            result.rejected.allSatisfy {
                if case .digestMismatch(_, let expected) = $0.reason {
                    expected == Self.blob.description
                } else {
                    false
                }
            })
        #expect(
            result.rejected.contains {
                $0.reason == .digestMismatch(signed: "no subject", expected: Self.blob.description)
            })

        let provenance = try await AttestationVerifier(keys: [key]).verify(
            subject, in: store, predicateType: PredicateType.slsaProvenance02)
        #expect(provenance.verified.count == 2)
        let sbom = try await AttestationVerifier(keys: [key]).verify(
            subject, in: store, predicateType: PredicateType.cycloneDX)
        #expect(!sbom.isVerified)
        let stranger = try await AttestationVerifier(keys: [SigningKey.generate().verificationKey]).verify(
            subject, in: store)
        #expect(stranger.verified.isEmpty)
        #expect(stranger.rejected.count == 4 && stranger.rejected.allSatisfy { $0.reason == .badSignature })
    }
}
