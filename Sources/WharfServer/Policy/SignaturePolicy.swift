import Foundation
public import NIOCore
import Synchronization
public import WharfSign
public import WharfStorage

/// "Only signed images here": manifests in repositories that a rule covers are handed
/// out only when a cosign signature of theirs (at the `.sig` tag or as a referrer)
/// verifies with one of the rule's keys.
///
/// Manifests no container runtime can run stay pullable, so verifiers can work: cosign's
/// signature, attestation and SBOM images, and referrers that are artifacts. That is judged
/// by content, never by tag. Each manifest is judged on its own: an index signed without
/// its platform images (`wharf sign` without `--recursive`) can be read, its images cannot.
/// Only the key and the digest are checked, not the signed identity, so signatures survive
/// promotion between registries and repositories. A check stops at the first signature
/// that verifies.
///
/// Decisions are cached per repository and digest and forgotten when a manifest, tag or
/// blob of the repository is pushed or deleted through the registry (also a decision being
/// made at that moment), or after ``cacheLifetime`` (for changes made behind the registry's
/// back, by another process sharing the storage).
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

    private struct Decision {
        var refusal: PullRefusal?
        var decidedAt: ContinuousClock.Instant
    }
    /// The decisions of one repository, and how many times it was invalidated: a decision
    /// made while an invalidation happened is not stored, so a signature deleted during a
    /// check cannot be remembered as present.
    private struct RepositoryDecisions {
        var generation: UInt64 = 0
        var byDigest: [OCIDigest: Decision] = [:]
    }
    private struct Cache {
        var repositories: [String: RepositoryDecisions] = [:]
        var count = 0
    }
    private let cache = Mutex(Cache())

    /// Creates a policy of `rules`.
    public init(rules: [Rule], cacheLifetime: Duration = .seconds(60)) {
        self.rules = rules
        self.cacheLifetime = cacheLifetime
    }

    /// The rule covering `repository`, if any.
    public func rule(for repository: String) -> Rule? {
        rules.first { $0.repositories.matches(repository) }
    }

    /// Allows the manifest when no rule covers the repository, when it is an attachment no
    /// runtime can run (a signature or attestation image, an artifact referrer), or when one
    /// of its signatures verifies with the rule's keys.
    public func check(
        _ manifest: Descriptor, content: ByteBuffer, reference: ManifestReference,
        in repository: RegistryRepository
    ) async throws -> PullRefusal? {
        guard let rule = rule(for: repository.name), !rule.keys.isEmpty else { return nil }
        let name = repository.name
        let now = ContinuousClock.now
        let (cached, generation) = cache.withLock { cache in
            (cache.repositories[name]?.byDigest[manifest.digest], cache.repositories[name]?.generation ?? 0)
        }
        if let cached, cached.decidedAt.duration(to: now) < cacheLifetime { return cached.refusal }
        let refusal = try await decide(manifest, content: content, rule: rule, in: repository)
        cache.withLock { cache in
            guard (cache.repositories[name]?.generation ?? 0) == generation else { return }
            if cache.count >= Self.cacheCapacity {
                cache = Cache(
                    repositories: cache.repositories.mapValues {
                        RepositoryDecisions(generation: $0.generation)
                    })
            }
            if cache.repositories[name, default: RepositoryDecisions()].byDigest.updateValue(
                Decision(refusal: refusal, decidedAt: now), forKey: manifest.digest) == nil
            {
                cache.count += 1
            }
        }
        return refusal
    }

    /// Forgets every decision about `repository`, including one being made right now.
    public func invalidate(repository: String) {
        cache.withLock { cache in
            let dropped = cache.repositories[repository]?.byDigest.count ?? 0
            cache.repositories[repository, default: RepositoryDecisions()].generation &+= 1
            cache.repositories[repository]?.byDigest = [:]
            cache.count -= dropped
        }
    }

    private func decide(
        _ manifest: Descriptor, content: ByteBuffer, rule: Rule, in repository: RegistryRepository
    ) async throws -> PullRefusal? {
        if Self.isUnrunnableAttachment(manifest, content: content) { return nil }
        let result = try await SignatureVerifier(keys: rule.keys).verify(
            manifest, in: repository, stoppingAtFirstVerified: true)
        if result.isVerified { return nil }
        let reason =
            result.rejected.isEmpty
            ? "\(manifest.digest) is not signed; a signature by one of the policy's keys is required"
            : "no signature of \(manifest.digest) verifies with the policy's keys"
        return PullRefusal(policy: rule.repositories.pattern, reason: reason)
    }

    /// Whether the manifest is something verifiers read and no container runtime can run,
    /// so it needs no signature: an OCI 1.1 referrer that is an artifact (its config is not
    /// an image configuration; an index with a subject, whose images are judged on their
    /// own), or an image none of whose layers is a filesystem layer (cosign's `.sig`,
    /// `.att` and `.sbom` images). Judged by content, never by the tag it is pulled by, so
    /// an image tagged like a signature is gated like any image.
    static func isUnrunnableAttachment(_ manifest: Descriptor, content: ByteBuffer) -> Bool {
        guard let edges = try? ContentGraph.edges(of: manifest, content: content) else { return false }
        if manifest.mediaType.isIndex { return edges.subject != nil }
        guard let config = edges.children.first else { return false }
        if edges.subject != nil, config.mediaType != .ociConfig, config.mediaType != .dockerConfig {
            return true
        }
        let layers = edges.children.dropFirst()
        return !layers.isEmpty && !layers.contains { isFilesystemLayer($0.mediaType) }
    }

    /// The layer media types runtimes unpack (OCI's and Docker's, in every compression).
    private static func isFilesystemLayer(_ mediaType: OCIMediaType) -> Bool {
        mediaType.rawValue.hasPrefix("application/vnd.oci.image.layer.")
            || mediaType.rawValue.hasPrefix("application/vnd.docker.image.rootfs.")
    }
}
