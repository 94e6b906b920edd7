import Foundation
import WharfContent
import WharfImage

/// Stores signature and attestation images: their new layers' payloads, the config, and
/// the manifest, at cosign's tag or as a referrer of the image they belong to.
enum SignatureImageWriter {
    /// Stores `image`'s new payloads and manifest, tagged `tag`, or as a referrer of
    /// `subject` with `artifactType`; returns the manifest's digest.
    @discardableResult
    static func push(
        _ image: SignatureImage, to store: some ContentTarget, tag: String?, subject: Descriptor?,
        artifactType: OCIMediaType = SignaturePlacement.referrerArtifactType
    ) async throws -> OCIDigest {
        for layer in image.layers {
            if let payload = layer.payload { try await pushIfMissing(layer.descriptor, payload, to: store) }
        }
        // A referrer's config is OCI's empty descriptor, as cosign's OCI 1.1 mode writes it;
        // the tagged image keeps go-containerregistry's config listing the layers.
        let configBytes = subject == nil ? image.config : Array("{}".utf8)
        let config = Descriptor(
            mediaType: subject == nil ? .ociConfig : .ociEmpty, digest: DigestHasher.digest(of: configBytes),
            size: Int64(configBytes.count))
        try await pushIfMissing(config, configBytes, to: store)
        let manifest = image.manifest(
            config: config, subject: subject, artifactType: subject == nil ? nil : artifactType)
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
    ) async throws {
        guard try await !store.exists(descriptor) else { return }
        try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
    }
}
