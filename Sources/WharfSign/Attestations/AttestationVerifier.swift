public import WharfContent
import WharfImage

/// Verifies an image's attestations against trusted keys, as `cosign verify-attestation
/// --key` does: the envelope must carry an in-toto statement, a signature over its
/// pre-authentication encoding must verify with one of the keys, and one of the
/// statement's subjects must name the image's digest.
public struct AttestationVerifier: Sendable {
    /// The keys an attestation may verify with.
    public var keys: [VerificationKey]

    /// Creates a verifier trusting `keys`.
    public init(keys: [VerificationKey]) {
        self.keys = keys
    }

    /// Checks every attestation of the manifest `image` in `store` (at the `.att` tag and
    /// among its in-toto referrers). With `predicateType`, attestations of other types are
    /// left out of the result, as cosign's `--type` filters them.
    public func verify(
        _ image: Descriptor, in store: some ReadOnlyContentTarget, predicateType: String? = nil
    ) async throws -> AttestationVerification {
        var result = AttestationVerification()
        for (source, read) in try await SignatureReader.images(of: .attestations, for: image, in: store) {
            let attestations: SignatureImage
            switch read {
            case .success(let image): attestations = image
            case .failure(let reason):
                result.rejected.append(RejectedSignature(reason: reason, source: source))
                continue
            }
            for layer in attestations.layers where layer.descriptor.mediaType == DSSEEnvelope.mediaType {
                let bytes: [UInt8]
                do {
                    guard
                        let read = try await SignatureReader.payload(
                            of: layer, limit: DSSEEnvelope.sizeLimit, in: store)
                    else {
                        throw SignatureError.malformedEnvelope("larger than \(DSSEEnvelope.sizeLimit) bytes")
                    }
                    bytes = read
                } catch let reason as SignatureError {
                    result.rejected.append(RejectedSignature(reason: reason, source: source))
                    continue
                }
                switch check(bytes, image: image) {
                case .success(let verified):
                    if let predicateType, verified.statement.predicateType != predicateType { continue }
                    result.verified.append(
                        VerifiedAttestation(
                            key: verified.key, statement: verified.statement, envelope: verified.envelope,
                            envelopeBytes: bytes, source: source))
                case .failure(let reason):
                    result.rejected.append(RejectedSignature(reason: reason, source: source))
                }
            }
        }
        return result
    }

    private func check(
        _ bytes: [UInt8], image: Descriptor
    ) -> Result<(key: VerificationKey, statement: InTotoStatement, envelope: DSSEEnvelope), SignatureError> {
        let envelope: DSSEEnvelope
        let statement: InTotoStatement
        do {
            envelope = try DSSEEnvelope(parsing: bytes)
            guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else {
                return .failure(.wrongPayloadType(envelope.payloadType))
            }
            guard let key = envelope.verifyingKeys(among: keys).first else { return .failure(.badSignature) }
            statement = try InTotoStatement(parsing: envelope.payload)
            guard statement.subjects.contains(where: { $0.matches(image.digest) }) else {
                let named = statement.subjects.flatMap { subject in
                    subject.digest.map { "\($0.key):\($0.value)" }
                }
                return .failure(
                    .digestMismatch(
                        signed: named.isEmpty ? "no subject" : named.sorted().joined(separator: ", "),
                        expected: image.digest.description))
            }
            return .success((key, statement, envelope))
        } catch {
            return .failure(error)
        }
    }
}

/// What verifying an image's attestations found.
public struct AttestationVerification: Sendable, Hashable {
    /// The attestations that verified.
    public var verified: [VerifiedAttestation] = []
    /// The attestations that did not, and why.
    public var rejected: [RejectedSignature] = []

    /// Whether at least one attestation verified.
    public var isVerified: Bool { !verified.isEmpty }
}

/// An attestation that verified: with which key, what it states, where it was.
public struct VerifiedAttestation: Sendable, Hashable {
    /// The key it verified with.
    public var key: VerificationKey
    /// The statement: its predicate type, subjects and predicate.
    public var statement: InTotoStatement
    /// The envelope, as read.
    public var envelope: DSSEEnvelope
    /// The envelope's bytes exactly as stored (what `cosign verify-attestation` prints).
    public var envelopeBytes: [UInt8]
    /// Where it was stored.
    public var source: SignatureSource
}
