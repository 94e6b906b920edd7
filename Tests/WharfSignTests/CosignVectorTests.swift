import Foundation
import Testing
import WharfContent

@testable import WharfSign

/// A signature `cosign sign` made with a key from `cosign generate-key-pair`, as published in
/// sigstore-rs' tests (src/cosign/verification_constraint, the `pub_key` fixture): the
/// public key, the payload blob and the signature annotation, read off a real registry with
/// crane.
@Suite("A real cosign signature")
struct CosignVectorTests {
    static let publicKey = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELKhD7F5OKy77Z582Y6h0u1J3GNA+
        kvUsh4eKpd1lwkDAzfFDs7yXEExsEkPPuiQJBelDT68n7PDIWB/QEY7mrA==
        -----END PUBLIC KEY-----
        """
    static let payload =
        #"{"critical":{"identity":{"docker-reference":"registry-testing.svc.lan/busybox"},"image":{"docker-manifest-digest":"sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b"},"type":"cosign container image signature"},"optional":null}"#
    static let signature =
        "MEYCIQDWWxPQa3XFUsPbyTY+n+bZu/6Pwhg5WwyYDQtEfQho9wIhAPkKW7eub8b7BX+YbbRac8TwwIrK5KxvdtQ6NuoD+ivW"

    @Test("Wharf writes cosign's payload byte for byte and verifies cosign's signature over it")
    func cosignSignature() throws {
        let digest = try OCIDigest(
            parsing: "sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b")
        let written = SimpleSigningPayload(
            dockerReference: "registry-testing.svc.lan/busybox", manifestDigest: digest)
        #expect(written.bytes == Array(Self.payload.utf8))
        let key = try VerificationKey(pem: Self.publicKey)
        let signature = try #require(Data(base64Encoded: Self.signature))
        #expect(key.isValidSignature(Array(signature), for: Array(Self.payload.utf8)))
        #expect(!key.isValidSignature(Array(signature), for: Array(Self.payload.utf8).dropLast() + [0x20]))
    }

    @Test("cosign's signature, stored as cosign stores it, verifies through the verifier")
    func throughTheVerifier() async throws {
        let store = MemoryStore()
        // The signed manifest's descriptor as the verifier needs it (only its digest matters).
        let image = Descriptor(
            mediaType: .ociManifest,
            digest: try OCIDigest(
                parsing: "sha256:f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b"),
            size: 527)
        let signatures = SignatureImage(layers: [
            .init(
                payload: Array(Self.payload.utf8),
                annotations: [SignatureImage.signatureAnnotation: Self.signature])
        ])
        try await SignatureImageWriter.push(
            signatures, to: store, tag: SignatureImage.tag(for: image.digest), subject: nil)
        let result = try await SignatureVerifier(keys: [try VerificationKey(pem: Self.publicKey)]).verify(
            image, in: store, identity: "registry-testing.svc.lan/busybox")
        #expect(result.isVerified)
        #expect(
            result.verified.first?.source
                == .tag("sha256-f3cfc9d0dbf931d3db4685ec659b7ac68e2a578219da4aae65427886e649b06b.sig"))
    }
}
