import Foundation
import Testing
import WharfContent
import WharfImage

@testable import WharfSign

@Suite("Cosign signatures in content stores")
struct SignatureTests {
    static let digest = DigestHasher.digest(of: Array("an image manifest".utf8))

    /// A small image in a memory store, tagged `v1`.
    static func image(in store: MemoryStore, seed: UInt8 = 1) async throws -> Descriptor {
        let layer = [UInt8](repeating: seed, count: 100)
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let layerDescriptor = Descriptor(mediaType: .ociLayer, bytes: layer)
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        try await store.push(layerDescriptor, content: ByteStream(ByteBuffer(bytes: layer)))
        try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        let manifest = try ManifestDocument(
            ImageManifest(config: configDescriptor, layers: [layerDescriptor]))
        try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        try await store.tag(manifest.descriptor, as: "v\(seed)")
        return manifest.descriptor
    }

    @Test("the payload is cosign's bytes: key order, null optional, Go's escaping of annotations")
    func payloadBytes() throws {
        let plain = SimpleSigningPayload(
            dockerReference: "registry.example.com/team/app", manifestDigest: Self.digest)
        #expect(
            String(decoding: plain.bytes, as: UTF8.self)
                == #"{"critical":{"identity":{"docker-reference":"registry.example.com/team/app"},"image":{"docker-manifest-digest":"\#(Self.digest)"},"type":"cosign container image signature"},"optional":null}"#
        )
        let annotated = SimpleSigningPayload(
            dockerReference: "r/a", manifestDigest: Self.digest,
            annotations: ["b": "2", "a": "<&>\n\u{2028}é"])
        #expect(
            String(decoding: annotated.bytes, as: UTF8.self).hasSuffix(
                #""optional":{"a":"\u003c\u0026\u003e\n\u2028é","b":"2"}}"#))
        #expect(try SimpleSigningPayload(parsing: annotated.bytes) == annotated)
    }

    @Test(
        "payloads containers/image refuses are refused",
        arguments: [
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"DIGEST"},"type":"cosign container image signature","extra":1},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"DIGEST","x":1},"type":"cosign container image signature"},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"DIGEST"},"type":"atomic container signature"},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:nothex"},"type":"cosign container image signature"},"optional":null}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"DIGEST"},"type":"cosign container image signature"},"optional":[]}"#,
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"DIGEST"},"type":"cosign container image signature"}}"#,
            #"[]"#, "not json",
        ])
    func refusedPayloads(_ text: String) {
        let bytes = Array(text.replacingOccurrences(of: "DIGEST", with: Self.digest.description).utf8)
        #expect(throws: SignatureError.self) { try SimpleSigningPayload(parsing: bytes) }
    }

    @Test("skopeo's payload, with creator and timestamp in optional, is read")
    func skopeoPayload() throws {
        let text =
            #"{"critical":{"identity":{"docker-reference":"localhost:5000/a:v1"},"image":{"docker-manifest-digest":"\#(Self.digest)"},"type":"cosign container image signature"},"optional":{"creator":"containers/image 5.22.1","timestamp":1700000000}}"#
        let payload = try SimpleSigningPayload(parsing: Array(text.utf8))
        #expect(payload.dockerReference == "localhost:5000/a:v1")
        #expect(payload.annotations == ["creator": "containers/image 5.22.1"])
    }

    @Test(
        "signing stores cosign's .sig image; a second key appends; signing again changes nothing",
        arguments: [SignaturePlacement.tag, .referrer])
    func signAndVerify(placement: SignaturePlacement) async throws {
        let store = MemoryStore()
        let image = try await Self.image(in: store)
        let (alice, bob, mallory) = (SigningKey.generate(), SigningKey.generate(), SigningKey.generate())
        let first = try await ImageSigner(key: alice).sign(
            image, identity: "registry.example.com/team/app", in: store, placement: placement)
        guard case .stored = first else { Issue.record("\(first)"); return }
        let again = try await ImageSigner(key: alice).sign(
            image, identity: "registry.example.com/team/app", in: store, placement: placement)
        guard case .unchanged = again else {
            Issue.record("signing twice stored twice: \(again)"); return
        }
        try await ImageSigner(key: bob).sign(
            image, identity: "registry.example.com/team/app", in: store, placement: placement)

        let both = try await SignatureVerifier(keys: [alice.verificationKey, bob.verificationKey]).verify(
            image, in: store)
        #expect(both.verified.count == 2)
        #expect(Set(both.verified.map(\.key)) == [alice.verificationKey, bob.verificationKey])
        let onlyAlice = try await SignatureVerifier(keys: [alice.verificationKey]).verify(image, in: store)
        #expect(onlyAlice.verified.map(\.key) == [alice.verificationKey])
        #expect(onlyAlice.rejected.map(\.reason) == [.badSignature])
        #expect(
            try await !SignatureVerifier(keys: [mallory.verificationKey]).verify(image, in: store).isVerified)
        let wrongIdentity = try await SignatureVerifier(keys: [alice.verificationKey]).verify(
            image, in: store, identity: "registry.example.com/team/other")
        #expect(!wrongIdentity.isVerified)
        #expect(
            wrongIdentity.rejected.contains { if case .identityMismatch = $0.reason { true } else { false } })
        let tagged = try await SignatureVerifier(keys: [alice.verificationKey]).verify(
            image, in: store, identity: "registry.example.com/team/app:v1")
        #expect(tagged.isVerified, "matchRepository ignores the tag")
        if placement == .tag {
            let signatures = try #require(
                try await SignatureReader.image(at: SignatureImage.tag(for: image.digest), in: store))
            #expect(signatures.layers.count == 2)
        }
    }

    @Test("a signature copied onto another image is for the other digest and never verifies")
    func copiedSignature() async throws {
        let store = MemoryStore()
        let signed = try await Self.image(in: store, seed: 1)
        let other = try await Self.image(in: store, seed: 2)
        let key = SigningKey.generate()
        try await ImageSigner(key: key).sign(signed, identity: "r/app", in: store)
        let signatures = try #require(
            try await SignatureReader.image(at: SignatureImage.tag(for: signed.digest), in: store))
        try await SignatureImageWriter.push(
            signatures, to: store, tag: SignatureImage.tag(for: other.digest), subject: nil)
        let result = try await SignatureVerifier(keys: [key.verificationKey]).verify(other, in: store)
        #expect(!result.isVerified)
        #expect(
            result.rejected.map(\.reason) == [
                .digestMismatch(signed: signed.digest.description, expected: other.digest.description)
            ])
    }

    @Test("hostile signature images: bad base64, oversized payloads and too many layers are bounded failures")
    func hostileSignatureImages() async throws {
        let store = MemoryStore()
        let image = try await Self.image(in: store)
        let key = SigningKey.generate()
        let payload = SimpleSigningPayload(dockerReference: "r/app", manifestDigest: image.digest).bytes
        var signatures = SignatureImage()
        signatures.layers.append(
            .init(payload: payload, annotations: [SignatureImage.signatureAnnotation: "%%%not base64"]))
        signatures.layers.append(.init(payload: payload, annotations: [:]))
        signatures.layers.append(
            .init(
                payload: [UInt8](repeating: 0x20, count: SimpleSigningPayload.sizeLimit + 1), annotations: [:]
            ))
        try await SignatureImageWriter.push(
            signatures, to: store, tag: SignatureImage.tag(for: image.digest), subject: nil)
        let result = try await SignatureVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(!result.isVerified)
        #expect(result.rejected.count == 2, "the oversized layer is not read at all")

        // 10,000 layers (a 2.6 MB manifest, under the 4 MiB cap): refused by count, before any
        // payload is fetched, and a good signature elsewhere still counts.
        let many = SignatureImage(
            layers: (0..<10_000).map { index in
                .init(
                    payload: Array("\(index)".utf8),
                    annotations: [SignatureImage.signatureAnnotation: "MEUCIQ\(index)"])
            })
        let tag = SignatureImage.tag(for: image.digest)
        try await SignatureImageWriter.push(many, to: store, tag: tag, subject: nil)
        let flooded = try await SignatureVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(!flooded.isVerified)
        guard case .malformedSignatureManifest(let reason) = flooded.rejected.first?.reason else {
            Issue.record("\(flooded.rejected)"); return
        }
        #expect(reason.contains("10000 layers"))
        try await ImageSigner(key: key).sign(image, identity: "r/app", in: store, placement: .referrer)
        let rescued = try await SignatureVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(
            rescued.verified.map(\.source).count == 1, "the referrer's signature verifies beside the flood")
        await #expect(throws: SignatureError.self, "appending to a flooded image is refused") {
            try await ImageSigner(key: key).sign(image, identity: "r/app", in: store)
        }
    }

    @Test("a huge annotation and DER bombs are plain verification failures")
    func hugeAndBombs() async throws {
        let store = MemoryStore()
        let image = try await Self.image(in: store)
        let key = SigningKey.generate()
        let payload = SimpleSigningPayload(dockerReference: "r/app", manifestDigest: image.digest).bytes
        // A DER SEQUENCE claiming 4 GiB of content, and one nested 10,000 deep.
        let lengthBomb: [UInt8] = [0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01]
        let nestingBomb: [UInt8] = Array([[UInt8]](repeating: [0x30, 0x80], count: 10_000).joined())
        for signature in [lengthBomb, nestingBomb, [UInt8](repeating: 0x41, count: 1 << 20)] {
            #expect(!key.verificationKey.isValidSignature(signature, for: payload))
        }
        var signatures = SignatureImage()
        signatures.layers.append(
            .init(
                payload: payload,
                annotations: [
                    SignatureImage.signatureAnnotation: Data(nestingBomb).base64EncodedString(),
                    "huge": String(repeating: "x", count: 2 << 20),
                ]))
        try await SignatureImageWriter.push(
            signatures, to: store, tag: SignatureImage.tag(for: image.digest), subject: nil)
        let result = try await SignatureVerifier(keys: [key.verificationKey]).verify(image, in: store)
        #expect(result.rejected.map(\.reason) == [.badSignature])
        let pem = PEMBlock(type: "PUBLIC KEY", bytes: lengthBomb).text
        #expect(throws: SignError.self) { try VerificationKey(pem: pem) }
    }
}
