public import WharfContent
import WharfImage

/// Attests images in any content store as `cosign attest --key` does: an in-toto
/// statement about the image, in a DSSE envelope signed with ECDSA P-256, stored as a
/// layer of the image at `sha256-<hex>.att` (or as an OCI 1.1 referrer).
public struct ImageAttester: Sendable {
    /// The key attestations are signed with.
    public var key: SigningKey

    /// Creates an attester.
    public init(key: SigningKey) {
        self.key = key
    }

    /// Attests that `predicate` holds of the manifest `image`, pulled as `repository`
    /// (`registry.example.com/team/app`, the statement's subject name).
    ///
    /// Each call adds an attestation, as cosign's do (their signatures differ each time);
    /// with `replace`, attestations of the same predicate type at the tag are dropped
    /// first, as `cosign attest --replace` drops them (referrers are never replaced).
    @discardableResult
    public func attest(
        _ image: Descriptor, repository: String, predicate: AttestationPredicate,
        in store: some ContentTarget, placement: SignaturePlacement = .tag, replace: Bool = false
    ) async throws -> AttachmentOutcome {
        let statement = InTotoStatement(
            subjects: [InTotoStatement.Subject(repository: repository, manifest: image.digest)],
            predicate: predicate)
        let envelope = try DSSEEnvelope(
            signing: statement.bytes, payloadType: DSSEEnvelope.inTotoPayloadType, with: key)
        // cosign leaves the signature annotation empty: the signature is in the envelope.
        let layer = SignatureImage.Layer(
            payload: envelope.bytes,
            annotations: [
                SignatureImage.signatureAnnotation: "", Self.predicateTypeAnnotation: predicate.type,
            ],
            mediaType: DSSEEnvelope.mediaType)
        switch placement {
        case .tag:
            let tag = SignatureImage.attestationTag(for: image.digest)
            var attestations = try await SignatureReader.image(at: tag, in: store) ?? SignatureImage()
            if replace {
                var kept: [SignatureImage.Layer] = []
                for existing in attestations.layers
                where try await Self.predicateType(of: existing, in: store) != predicate.type {
                    kept.append(existing)
                }
                attestations.layers = [layer] + kept
            } else {
                attestations.layers.append(layer)
            }
            guard attestations.layers.count <= SignatureImage.layerLimit else {
                throw SignatureError.malformedSignatureManifest(
                    "\(tag) already holds \(SignatureImage.layerLimit) attestations")
            }
            try await SignatureImageWriter.push(attestations, to: store, tag: tag, subject: nil)
            return .stored(.tag(tag))
        case .referrer:
            let digest = try await SignatureImageWriter.push(
                SignatureImage(layers: [layer]), to: store, tag: nil, subject: image,
                artifactType: SignaturePlacement.attestationArtifactType)
            return .stored(.referrer(digest))
        }
    }

    /// The layer annotation naming an attestation's predicate type.
    static let predicateTypeAnnotation = "predicateType"

    /// An attestation layer's predicate type: its annotation, or, as cosign falls back to
    /// it, the type its statement names; `nil` when neither can be read.
    static func predicateType(
        of layer: SignatureImage.Layer, in store: some ReadOnlyContentTarget
    ) async throws -> String? {
        if let annotated = layer.descriptor.annotations?[predicateTypeAnnotation] { return annotated }
        guard layer.descriptor.mediaType == DSSEEnvelope.mediaType,
            let bytes = try? await SignatureReader.payload(
                of: layer, limit: DSSEEnvelope.sizeLimit, in: store),
            let envelope = try? DSSEEnvelope(parsing: bytes),
            let statement = try? InTotoStatement(parsing: envelope.payload)
        else {
            return nil
        }
        return statement.predicateType
    }
}
