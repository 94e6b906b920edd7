import Foundation
import WharfContent
import WharfImage

/// Reads cosign's signature and attestation images from a store: the `.sig` and `.att`
/// tags, and referrers of the signed image. Manifests are read whole (they are small and
/// capped); payloads are fetched one at a time, bounded, when they are checked.
enum SignatureReader {
    /// The image tagged `tag`, or `nil` when there is none.
    static func image(at tag: String, in store: some ReadOnlyContentTarget) async throws -> SignatureImage? {
        let manifest: Descriptor
        do {
            manifest = try await store.resolve(tag)
        } catch ContentError.referenceNotFound {
            return nil
        }
        return try await image(manifest, in: store)
    }

    /// The images among the referrers of `image` with artifact type `artifactType`, with
    /// where each was found; none when the store lists no referrers.
    static func referrerImages(
        of image: Descriptor, artifactType: OCIMediaType, in store: some ReadOnlyContentTarget
    ) async throws -> [(SignatureSource, SignatureImage)] {
        guard let lister = store as? any ReferrerLister else { return [] }
        var images: [(SignatureSource, SignatureImage)] = []
        for referrer in try await lister.referrers(of: image, artifactType: artifactType) {
            images.append((.referrer(referrer.digest), try await self.image(referrer, in: store)))
        }
        return images
    }

    /// The images holding `kind` for `image`: the one at cosign's tag first, then referrers.
    /// An image that is not one cosign would write is a failure of its own source, so a
    /// hostile image at one place cannot hide a good signature at another.
    static func images(
        of kind: CosignAttachment, for image: Descriptor, in store: some ReadOnlyContentTarget
    ) async throws -> [(SignatureSource, Result<SignatureImage, SignatureError>)] {
        var found: [(SignatureSource, Result<SignatureImage, SignatureError>)] = []
        let tag = kind.tag(for: image.digest)
        do {
            if let tagged = try await self.image(at: tag, in: store) {
                found.append((.tag(tag), .success(tagged)))
            }
        } catch let error as SignatureError {
            found.append((.tag(tag), .failure(error)))
        }
        guard let lister = store as? any ReferrerLister else { return found }
        for referrer in try await lister.referrers(of: image, artifactType: kind.referrerArtifactType) {
            do {
                found.append(
                    (.referrer(referrer.digest), .success(try await self.image(referrer, in: store))))
            } catch let error as SignatureError {
                found.append((.referrer(referrer.digest), .failure(error)))
            }
        }
        return found
    }

    /// Reads a signature or attestation manifest: its layers' descriptors, at most
    /// ``SignatureImage/layerLimit`` of them.
    static func image(
        _ manifest: Descriptor, in store: some ReadOnlyContentTarget
    ) async throws -> SignatureImage {
        let bytes: ByteBuffer
        do {
            bytes = try await store.fetch(manifest).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        } catch let error as ContentError {
            // Too large, gone since it was listed, or not intact: the signature's failure.
            throw SignatureError.malformedSignatureManifest("\(manifest.digest): \(error)")
        }
        let decoded: ImageManifest
        do {
            decoded = try ImageManifest.decode(Data(bytes.readableBytesView))
        } catch {
            throw SignatureError.malformedSignatureManifest(
                "\(manifest.digest) is not an image manifest: \(error)")
        }
        guard decoded.layers.count <= SignatureImage.layerLimit else {
            throw SignatureError.malformedSignatureManifest(
                "\(manifest.digest) has \(decoded.layers.count) layers, more than \(SignatureImage.layerLimit)"
            )
        }
        return SignatureImage(layers: decoded.layers.map(SignatureImage.Layer.init(descriptor:)))
    }

    /// A layer's payload: the bytes it carries, or from the store; `nil` when the layer says
    /// it is larger than `limit` (no real payload is, so it is not read at all). A payload
    /// the store lacks or cannot produce intact is the signature's failure,
    /// ``SignatureError/malformedSignatureManifest(_:)``, not the caller's.
    static func payload(
        of layer: SignatureImage.Layer, limit: Int, in store: some ReadOnlyContentTarget
    ) async throws -> [UInt8]? {
        if let payload = layer.payload { return payload.count <= limit ? payload : nil }
        guard layer.descriptor.size <= Int64(limit) else { return nil }
        do {
            return Array(try await store.fetch(layer.descriptor).collect(upTo: limit).readableBytesView)
        } catch let error as ContentError {
            throw SignatureError.malformedSignatureManifest("layer \(layer.descriptor.digest): \(error)")
        }
    }
}
