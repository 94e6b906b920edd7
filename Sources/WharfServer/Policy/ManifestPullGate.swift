public import NIOCore
public import WharfStorage

/// A rule the registry applies before it hands out a manifest (`GET
/// /v2/<name>/manifests/<reference>`): the extension point for signature requirements and
/// other pull gates. As in Harbor, the manifest's content is the gate: no client pulls an
/// image without it. Blobs are not gated, and neither is `HEAD`, which shows only the
/// digest, so that signers and scanners can resolve what they are asked to sign or scan.
public protocol ManifestPullGate: Sendable {
    /// Decides whether `manifest` (whose exact bytes are `content`), asked for as
    /// `reference` in `repository`, may be pulled: `nil` allows it, a refusal is answered
    /// with 412 `DENIED` and the refusal's text.
    func check(
        _ manifest: Descriptor, content: ByteBuffer, reference: ManifestReference,
        in repository: RegistryRepository
    ) async throws -> PullRefusal?

    /// Something changed in `repository` (a manifest or tag was pushed or deleted): forget
    /// any decision that change may affect.
    func invalidate(repository: String)
}

/// Why a pull was refused: the policy that refused it, and the reason in words for the
/// client (never a server path).
public struct PullRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The policy's name (its repository pattern, for the signature policy).
    public var policy: String
    /// Why, for the client.
    public var reason: String

    /// Creates a refusal.
    public init(policy: String, reason: String) {
        self.policy = policy
        self.reason = reason
    }

    /// `policy "<policy>": <reason>`.
    public var description: String { "policy \"\(policy)\": \(reason)" }
}
