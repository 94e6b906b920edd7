import Foundation
public import NIOCore
import Synchronization
public import WharfSign
public import WharfStorage

/// "Only signed images here": manifests in repositories that a rule covers are handed
/// out only when a cosign signature of theirs (at the `.sig` tag or as a referrer)
/// verifies with one of the rule's keys.
///
/// Signature and attestation images and every referrer (a manifest with a `subject`)
/// stay pullable, so verifiers can work. Each manifest is judged on its own: an index
/// signed without its platform images (`wharf sign` without `--recursive`) can be read,
/// its images cannot. Only the key and the digest are checked, not the signed identity,
/// so signatures survive promotion between registries and repositories.
///
/// Decisions are cached per repository and digest and forgotten when anything in the
/// repository is pushed or deleted through the registry, or after ``cacheLifetime`` (for
/// changes made behind the registry's back, by another process sharing the storage).
public final class SignaturePolicy: ManifestPullGate {
    /// Which repositories require a signature by which keys.
    public struct Rule: Sendable {
        /// The repositories covered.
        public var repositories: RepositoryPattern
        /// The keys a signature must verify with (any one); none exempts the repositories
        /// from the rules after this one.
        public var keys: [VerificationKey]

        /// Creates a rule.
        public init(repositories: RepositoryPattern, keys: [VerificationKey]) {
            self.repositories = repositories
            self.keys = keys
        }
    }

    /// The rules; the first whose pattern matches a repository applies to it.
    public let rules: [Rule]
    /// How long a decision is kept at most.
    public let cacheLifetime: Duration
    /// The most decisions kept; the cache starts over beyond it.
    static let cacheCapacity = 100_000

    private struct Key: Hashable {
        var repository: String
        var digest: OCIDigest
    }
    private struct Decision {
        var refusal: PullRefusal?
        var decidedAt: ContinuousClock.Instant
    }
    private let cache = Mutex<[Key: Decision]>([:])

    /// Creates a policy of `rules`.
    public init(rules: [Rule], cacheLifetime: Duration = .seconds(60)) {
        self.rules = rules
        self.cacheLifetime = cacheLifetime
    }

    /// The rule covering `repository`, if any.
    public func rule(for repository: String) -> Rule? {
        rules.first { $0.repositories.matches(repository) }
    }

    /// Allows the manifest when no rule covers the repository, when it is a signature or
    /// attestation image or a referrer, or when one of its signatures verifies with the
    /// rule's keys.
    public func check(
        _ manifest: Descriptor, content: ByteBuffer, reference: ManifestReference,
        in repository: RegistryRepository
    ) async throws -> PullRefusal? {
        guard let rule = rule(for: repository.name), !rule.keys.isEmpty else { return nil }
        if case .tag(let tag) = reference, Self.isAttachmentTag(tag) { return nil }
        let key = Key(repository: repository.name, digest: manifest.digest)
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0[key] }), cached.decidedAt.duration(to: now) < cacheLifetime {
            return cached.refusal
        }
        let refusal = try await decide(manifest, content: content, rule: rule, in: repository)
        cache.withLock { cache in
            if cache.count >= Self.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[key] = Decision(refusal: refusal, decidedAt: now)
        }
        return refusal
    }

    /// Forgets every decision about `repository`.
    public func invalidate(repository: String) {
        cache.withLock { cache in
            guard !cache.isEmpty else { return }
            cache = cache.filter { $0.key.repository != repository }
        }
    }

    private func decide(
        _ manifest: Descriptor, content: ByteBuffer, rule: Rule, in repository: RegistryRepository
    ) async throws -> PullRefusal? {
        // Referrers (signatures and attestations stored as OCI 1.1 artifacts, SBOMs) are
        // what verifiers read: never gated.
        if ContentGraph.referrer(manifest, content: content) != nil { return nil }
        // A signature or attestation image fetched by digest rather than by its tag.
        if let layers = try? ContentGraph.edges(of: manifest, content: content).children.dropFirst(),
            !layers.isEmpty, layers.allSatisfy({ Self.attachmentLayerTypes.contains($0.mediaType) })
        {
            return nil
        }
        let result = try await SignatureVerifier(keys: rule.keys).verify(manifest, in: repository)
        if result.isVerified { return nil }
        let reason =
            result.rejected.isEmpty
            ? "\(manifest.digest) is not signed; a signature by one of the policy's keys is required"
            : "no signature of \(manifest.digest) verifies with the policy's keys"
        return PullRefusal(policy: rule.repositories.pattern, reason: reason)
    }

    /// The layer media types of cosign's signature and attestation images.
    static let attachmentLayerTypes: Set<OCIMediaType> = [
        SimpleSigningPayload.mediaType, DSSEEnvelope.mediaType,
    ]

    /// Whether `tag` is one cosign keeps signatures, attestations or SBOMs at.
    static func isAttachmentTag(_ tag: String) -> Bool {
        guard tag.hasPrefix("sha256-") || tag.hasPrefix("sha512-") else { return false }
        return tag.hasSuffix(".sig") || tag.hasSuffix(".att") || tag.hasSuffix(".sbom")
    }
}
