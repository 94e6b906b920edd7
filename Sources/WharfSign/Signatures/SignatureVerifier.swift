public import WharfContent
import WharfImage

/// Verifies an image's cosign signatures against trusted keys, wherever they are stored
/// (the `.sig` tag, OCI 1.1 referrers, or the referrers tag schema a registry without the
/// API keeps).
public struct SignatureVerifier: Sendable {
    /// The keys a signature may verify with.
    public var keys: [VerificationKey]

    /// Creates a verifier trusting `keys`.
    public init(keys: [VerificationKey]) {
        self.keys = keys
    }

    /// Checks every signature of the manifest `image` in `store`: a signature counts when
    /// it verifies with one of the keys, its payload names `image`'s digest, and, when
    /// `identity` is given, its signed repository is that one (containers/image's
    /// `matchRepository`). A signature for another digest never verifies.
    ///
    /// With `stoppingAtFirstVerified`, the check ends at the first signature that verifies
    /// (all a gate needs to know), leaving the rest unread.
    public func verify(
        _ image: Descriptor, in store: some ReadOnlyContentTarget, identity: String? = nil,
        stoppingAtFirstVerified: Bool = false
    ) async throws -> SignatureVerification {
        var result = SignatureVerification()
        for (source, read) in try await SignatureReader.images(of: .signatures, for: image, in: store) {
            let signatures: SignatureImage
            switch read {
            case .success(let image): signatures = image
            case .failure(let reason):
                result.rejected.append(RejectedSignature(reason: reason, source: source))
                continue
            }
            for layer in signatures.layers where layer.descriptor.mediaType == SimpleSigningPayload.mediaType
            {
                let read: [UInt8]?
                do {
                    read = try await SignatureReader.payload(
                        of: layer, limit: SimpleSigningPayload.sizeLimit, in: store)
                } catch let reason as SignatureError {
                    result.rejected.append(RejectedSignature(reason: reason, source: source))
                    continue
                }
                guard let payload = read else { continue }
                switch check(payload, signature: layer.signature, image: image, identity: identity) {
                case .success(let verified):
                    result.verified.append(
                        VerifiedSignature(key: verified.key, payload: verified.payload, source: source))
                    if stoppingAtFirstVerified { return result }
                case .failure(let reason):
                    result.rejected.append(RejectedSignature(reason: reason, source: source))
                }
            }
        }
        return result
    }

    private func check(
        _ bytes: [UInt8], signature: [UInt8]?, image: Descriptor, identity: String?
    ) -> Result<(key: VerificationKey, payload: SimpleSigningPayload), SignatureError> {
        guard let signature, let key = keys.first(where: { $0.isValidSignature(signature, for: bytes) })
        else {
            return .failure(.badSignature)
        }
        let payload: SimpleSigningPayload
        do {
            payload = try SimpleSigningPayload(parsing: bytes)
        } catch {
            return .failure(error)
        }
        guard payload.manifestDigest == image.digest else {
            return .failure(
                .digestMismatch(
                    signed: payload.manifestDigest.description, expected: image.digest.description))
        }
        if let identity, !Self.sameRepository(payload.dockerReference, identity) {
            return .failure(.identityMismatch(signed: payload.dockerReference, expected: identity))
        }
        return .success((key, payload))
    }

    /// containers/image's `matchRepository`: the repositories are the same once both are
    /// normalised (Docker Hub's `index.docker.io` is `docker.io`, `library/` added); a tag or
    /// digest on either side is ignored.
    static func sameRepository(_ signed: String, _ expected: String) -> Bool {
        guard let lhs = try? ImageReference(parsing: signed), let rhs = try? ImageReference(parsing: expected)
        else {
            return signed == expected
        }
        return lhs.registry == rhs.registry && lhs.repository == rhs.repository
    }
}
