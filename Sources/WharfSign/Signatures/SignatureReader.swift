import Foundation
import WharfContent
import WharfImage

/// Reads signature images from a store: the `.sig` tag, and referrers of the signed image.
enum SignatureReader {
    /// The signature image tagged `tag`, or `nil` when there is none.
    static func image(at tag: String, in store: some ReadOnlyContentTarget) async throws -> SignatureImage? {
        let manifest: Descriptor
        do {
            manifest = try await store.resolve(tag)
        } catch ContentError.referenceNotFound {
            return nil
        }
        return try await image(manifest, in: store)
    }

    /// The signature images among the referrers of `image` (cosign's artifact type), with
    /// where each was found; none when the store lists no referrers.
    static func referrerImages(
        of image: Descriptor, in store: some ReadOnlyContentTarget
    ) async throws -> [(SignatureSource, SignatureImage)] {
        guard let lister = store as? any ReferrerLister else { return [] }
        var images: [(SignatureSource, SignatureImage)] = []
        for referrer in try await lister.referrers(
            of: image, artifactType: SignaturePlacement.referrerArtifactType)
        {
            images.append((.referrer(referrer.digest), try await self.image(referrer, in: store)))
        }
        return images
    }

    /// Reads a signature manifest and its payloads (bounded: at most
    /// ``SignatureImage/layerLimit`` layers of at most ``SimpleSigningPayload/sizeLimit``
    /// bytes); layers of other media types are skipped, as containers/image skips them.
    static func image(
        _ manifest: Descriptor, in store: some ReadOnlyContentTarget
    ) async throws -> SignatureImage {
        let bytes = try await store.fetch(manifest).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        let decoded: ImageManifest
        do {
            decoded = try ImageManifest.decode(Data(bytes.readableBytesView))
        } catch {
            throw SignatureError.malformedSignatureManifest(
                "\(manifest.digest) is not an image manifest: \(error)")
        }
        let layers = decoded.layers.filter { $0.mediaType == SimpleSigningPayload.mediaType }
        guard layers.count <= SignatureImage.layerLimit else {
            throw SignatureError.malformedSignatureManifest(
                "\(manifest.digest) has \(layers.count) signatures, more than \(SignatureImage.layerLimit)")
        }
        var image = SignatureImage()
        for layer in layers {
            // No real payload is that large: such a layer is not read at all.
            guard layer.size <= Int64(SimpleSigningPayload.sizeLimit) else { continue }
            let payload = try await store.fetch(layer).collect(upTo: SimpleSigningPayload.sizeLimit)
            image.layers.append(
                SignatureImage.Layer(
                    payload: Array(payload.readableBytesView), annotations: layer.annotations ?? [:]))
        }
        return image
    }
}
