public import WharfContent
import WharfImage

/// Everything kept beside an image that says something about it: cosign's signature,
/// attestation and SBOM images at their tags, and the image's OCI 1.1 referrers.
/// What `wharf tree` shows and `wharf copy --signatures` carries along.
public struct ImageAttachments: Sendable, Hashable {
    /// An image cosign keeps at a tag derived from the subject's digest.
    public struct TaggedImage: Sendable, Hashable {
        /// The tag: `sha256-<hex>.sig`, `.att` or `.sbom`.
        public var tag: String
        /// The manifest at the tag.
        public var manifest: Descriptor
        /// Its layers: one per signature or attestation.
        public var layers: [Descriptor]
    }

    /// The subject.
    public var image: Descriptor
    /// cosign's signature image (`.sig`).
    public var signatures: TaggedImage?
    /// cosign's attestation image (`.att`).
    public var attestations: TaggedImage?
    /// The SBOM `cosign attach sbom` stored (`.sbom`).
    public var sbom: TaggedImage?
    /// The image's referrers (signatures, attestations, SBOMs… as OCI 1.1 artifacts).
    public var referrers: [Descriptor]

    /// The tagged images that exist, in the order signatures, attestations, SBOM.
    public var taggedImages: [TaggedImage] { [signatures, attestations, sbom].compactMap { $0 } }

    /// Whether nothing is attached.
    public var isEmpty: Bool { taggedImages.isEmpty && referrers.isEmpty }

    /// The suffix of the tag `cosign attach sbom` stores an SBOM at.
    static let sbomSuffix = "sbom"

    /// Finds what is attached to the manifest `image` in `store`; referrers only when the
    /// store lists them.
    public static func find(
        for image: Descriptor, in store: some ReadOnlyContentTarget
    ) async throws -> ImageAttachments {
        let prefix = "\(image.digest.algorithm.rawValue)-\(image.digest.encoded)"
        func tagged(_ suffix: String) async throws -> TaggedImage? {
            let tag = "\(prefix).\(suffix)"
            guard let found = try await SignatureReader.image(at: tag, in: store) else { return nil }
            return TaggedImage(
                tag: tag, manifest: try await store.resolve(tag), layers: found.layers.map(\.descriptor))
        }
        let referrers =
            try await (store as? any ReferrerLister)?.referrers(of: image, artifactType: nil) ?? []
        return ImageAttachments(
            image: image, signatures: try await tagged("sig"), attestations: try await tagged("att"),
            sbom: try await tagged(sbomSuffix), referrers: referrers)
    }
}
