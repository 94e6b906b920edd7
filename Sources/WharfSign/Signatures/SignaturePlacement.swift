public import WharfContent

/// Where a signature is stored beside the image it signs.
public enum SignaturePlacement: Sendable, Hashable {
    /// Appended to the image cosign keeps at the tag `sha256-<hex>.sig`: what
    /// containers/image (skopeo, podman, CRI-O) and most verifiers read.
    case tag
    /// As its own OCI 1.1 referrer of the image (`subject`, artifact type
    /// ``SignaturePlacement/referrerArtifactType``), as cosign's OCI 1.1 mode writes it.
    case referrer

    /// The artifact type of a signature stored as a referrer.
    public static let referrerArtifactType: OCIMediaType = "application/vnd.dev.cosign.artifact.sig.v1+json"
    /// The artifact type of an attestation stored as a referrer (cosign's
    /// `WriteAttestationsReferrer`): the in-toto payload type.
    public static let attestationArtifactType: OCIMediaType = "application/vnd.in-toto+json"
}

/// Where a signature was found.
public enum SignatureSource: Sendable, Hashable, CustomStringConvertible {
    /// In the image at the `.sig` tag.
    case tag(String)
    /// In a referrer manifest of the image.
    case referrer(OCIDigest)

    /// `tag sha256-….sig` or `referrer sha256:…`.
    public var description: String {
        switch self {
        case .tag(let tag): "tag \(tag)"
        case .referrer(let digest): "referrer \(digest)"
        }
    }
}
