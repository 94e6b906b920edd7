import WharfContent

/// What cosign keeps beside an image: its signatures or its attestations, each kind in
/// its own image at its own tag (or as referrers of its own artifact type).
enum CosignAttachment {
    /// Simple-signing payloads with the signature in an annotation, at `sha256-<hex>.sig`.
    case signatures
    /// DSSE envelopes of in-toto statements, at `sha256-<hex>.att`.
    case attestations

    /// The tag the image is kept at.
    func tag(for digest: OCIDigest) -> String {
        switch self {
        case .signatures: SignatureImage.tag(for: digest)
        case .attestations: SignatureImage.attestationTag(for: digest)
        }
    }

    /// The media type of the layers read; others are skipped, as cosign skips them.
    var layerMediaType: OCIMediaType {
        switch self {
        case .signatures: SimpleSigningPayload.mediaType
        case .attestations: DSSEEnvelope.mediaType
        }
    }

    /// The largest payload read.
    var payloadSizeLimit: Int {
        switch self {
        case .signatures: SimpleSigningPayload.sizeLimit
        case .attestations: DSSEEnvelope.sizeLimit
        }
    }

    /// The artifact type of a referrer holding this kind.
    var referrerArtifactType: OCIMediaType {
        switch self {
        case .signatures: SignaturePlacement.referrerArtifactType
        case .attestations: SignaturePlacement.attestationArtifactType
        }
    }
}
