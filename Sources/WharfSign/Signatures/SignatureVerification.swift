/// What verifying an image's signatures found.
public struct SignatureVerification: Sendable, Hashable {
    /// The signatures that verified.
    public var verified: [VerifiedSignature] = []
    /// The signatures that did not, and why.
    public var rejected: [RejectedSignature] = []

    /// Whether at least one signature verified.
    public var isVerified: Bool { !verified.isEmpty }
}

/// A signature that verified: with which key, what it signed, where it was.
public struct VerifiedSignature: Sendable, Hashable {
    /// The key it verified with.
    public var key: VerificationKey
    /// The signed payload: identity, digest, annotations.
    public var payload: SimpleSigningPayload
    /// Where it was stored.
    public var source: SignatureSource
}

/// A signature or attestation that did not verify, and why.
public struct RejectedSignature: Sendable, Hashable {
    /// Why: a bad signature (no key verifies it), another digest, another identity, a
    /// malformed payload.
    public var reason: SignatureError
    /// Where it was stored.
    public var source: SignatureSource
}
