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

    /// Signs the manifest `image` of `store` as `identity` (the repository it is pulled as,
    /// `registry.example.com/team/app`), with `annotations` in the payload's `optional`.
    /// Signing again with the same key and payload changes nothing (cosign's dedupe).
    @discardableResult
    public func sign(
        _ image: Descriptor, identity: String, in store: some ContentTarget,
        annotations: [String: String] = [:],
        placement: SignaturePlacement = .tag
    ) async throws -> AttachmentOutcome {
        let payload = SimpleSigningPayload(
            dockerReference: identity, manifestDigest: image.digest, annotations: annotations
        ).bytes
        let signature = try key.signature(for: payload)
        let layer = SignatureImage.Layer(
            payload: payload,
            annotations: [SignatureImage.signatureAnnotation: Data(signature).base64EncodedString()])
        switch placement {
        case .tag:
            let tag = SignatureImage.tag(for: image.digest)
            var signatures = try await SignatureReader.image(at: tag, in: store) ?? SignatureImage()
            if isDuplicate(layer, among: signatures.layers) { return .unchanged(.tag(tag)) }
            guard signatures.layers.count < SignatureImage.layerLimit else {
                throw SignatureError.malformedSignatureManifest(
                    "\(tag) already holds \(SignatureImage.layerLimit) signatures")
            }
            signatures.layers.append(layer)
            try await SignatureImageWriter.push(signatures, to: store, tag: tag, subject: nil)
            return .stored(.tag(tag))
        case .referrer:
            for (source, existing) in try await SignatureReader.referrerImages(
                of: image, artifactType: SignaturePlacement.referrerArtifactType, in: store)
            where isDuplicate(layer, among: existing.layers) {
                return .unchanged(source)
            }
            let digest = try await SignatureImageWriter.push(
                SignatureImage(layers: [layer]), to: store, tag: nil, subject: image)
            return .stored(.referrer(digest))
        }
    }

    /// Whether `layers` already hold this payload signed by this key (cosign's dedupe: a
    /// layer with the same payload digest whose signature verifies with the signer's key).
    private func isDuplicate(_ layer: SignatureImage.Layer, among layers: [SignatureImage.Layer]) -> Bool {
        guard let payload = layer.payload else { return false }
        return layers.contains { existing in
            existing.descriptor.digest == layer.descriptor.digest
                && existing.signature.map { key.verificationKey.isValidSignature($0, for: payload) } == true
        }
    }
}

/// What signing or attesting did.
public enum AttachmentOutcome: Sendable, Hashable {
    /// A new signature or attestation was stored, here.
    case stored(SignatureSource)
    /// The image already had this signature by this key: nothing changed.
    case unchanged(SignatureSource)
}
