import Foundation
public import WharfContent
import WharfImage

/// Signs images in any content store (a registry, an OCI layout, server storage) the way
/// cosign does with a key: a simple-signing payload naming the image, signed with ECDSA
/// P-256, stored beside the image.
public struct ImageSigner: Sendable {
    /// The key signatures are made with.
    public var key: SigningKey

    /// Creates a signer.
    public init(key: SigningKey) {
        self.key = key
    }

    /// What signing did.
    public enum Outcome: Sendable, Hashable {
        /// A new signature was stored, here.
        case signed(SignatureSource)
        /// The image already had a signature of this payload by this key: nothing changed.
        case alreadySigned(SignatureSource)
    }

    /// Signs the manifest `image` of `store` as `identity` (the repository it is pulled as,
    /// `registry.example.com/team/app`), with `annotations` in the payload's `optional`.
    @discardableResult
    public func sign(
        _ image: Descriptor, identity: String, in store: some ContentTarget,
        annotations: [String: String] = [:],
        placement: SignaturePlacement = .tag
    ) async throws -> Outcome {
        let payload = SimpleSigningPayload(
            dockerReference: identity, manifestDigest: image.digest, annotations: annotations
        ).bytes
        let signature = try key.signature(for: payload)
        let layer = SignatureImage.Layer(
            payload: payload,
            annotations: [SignatureImage.signatureAnnotation: Data(signature).base64EncodedString()])
        switch placement {
        case .tag:
            return try await appendToSignatureTag(layer, image: image, store: store)
        case .referrer:
            return try await storeAsReferrer(layer, image: image, store: store)
        }
    }

    private func appendToSignatureTag(
        _ layer: SignatureImage.Layer, image: Descriptor, store: some ContentTarget
    ) async throws -> Outcome {
        let tag = SignatureImage.tag(for: image.digest)
        var signatures = try await SignatureReader.image(at: tag, in: store) ?? SignatureImage()
        if isDuplicate(layer, among: signatures.layers) { return .alreadySigned(.tag(tag)) }
        signatures.layers.append(layer)
        try await Self.push(signatures, to: store, tag: tag, subject: nil)
        return .signed(.tag(tag))
    }

    private func storeAsReferrer(
        _ layer: SignatureImage.Layer, image: Descriptor, store: some ContentTarget
    ) async throws -> Outcome {
        for (source, existing) in try await SignatureReader.referrerImages(of: image, in: store)
        where isDuplicate(layer, among: existing.layers) {
            return .alreadySigned(source)
        }
        let digest = try await Self.push(SignatureImage(layers: [layer]), to: store, tag: nil, subject: image)
        return .signed(.referrer(digest))
    }

    /// Whether `layers` already hold this payload signed by this key (cosign's dedupe: the
    /// same payload whose existing signature verifies with the signer's key).
    private func isDuplicate(_ layer: SignatureImage.Layer, among layers: [SignatureImage.Layer]) -> Bool {
        layers.contains { existing in
            existing.payload == layer.payload
                && existing.signature.map { key.verificationKey.isValidSignature($0, for: layer.payload) }
                    == true
        }
    }

    /// Stores a signature image's blobs and manifest, tagged as `tag` or as a referrer of
    /// `subject`; returns the manifest's digest.
    @discardableResult
    static func push(
        _ signatures: SignatureImage, to store: some ContentTarget, tag: String?, subject: Descriptor?
    ) async throws -> OCIDigest {
        for layer in signatures.layers {
            try await pushIfMissing(layer.descriptor, layer.payload, to: store)
        }
        let config: Descriptor
        let configBytes: [UInt8]
        if subject == nil {
            configBytes = signatures.config
            config = Descriptor(
                mediaType: .ociConfig, digest: DigestHasher.digest(of: configBytes),
                size: Int64(configBytes.count))
        } else {
            configBytes = Array("{}".utf8)
            config = Descriptor(
                mediaType: .ociEmpty, digest: DigestHasher.digest(of: configBytes),
                size: Int64(configBytes.count))
        }
        try await pushIfMissing(config, configBytes, to: store)
        let manifest = signatures.manifest(
            config: config, subject: subject,
            artifactType: subject == nil ? nil : SignaturePlacement.referrerArtifactType)
        let descriptor = Descriptor(
            mediaType: .ociManifest, digest: DigestHasher.digest(of: manifest), size: Int64(manifest.count))
        let content = ByteStream(ByteBuffer(bytes: manifest))
        if let tag, let pusher = store as? any ReferencePusher {
            try await pusher.push(descriptor, content: content, reference: tag)
        } else {
            try await pushIfMissing(descriptor, manifest, to: store)
            if let tag { try await store.tag(descriptor, as: tag) }
        }
        return descriptor.digest
    }

    private static func pushIfMissing(
        _ descriptor: Descriptor, _ bytes: [UInt8], to store: some ContentTarget
    )
        async throws
    {
        guard try await !store.exists(descriptor) else { return }
        try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
    }
}
