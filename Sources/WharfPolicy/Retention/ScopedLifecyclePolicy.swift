/// An ECR lifecycle policy and the repositories it governs.
public struct ScopedLifecyclePolicy: Sendable, Hashable {
    /// The repositories (`legacy/**`).
    public var repositories: GlobPattern
    /// The policy.
    public var policy: LifecyclePolicy

    /// Creates a scoped policy.
    public init(repositories: GlobPattern, policy: LifecyclePolicy) {
        self.repositories = repositories
        self.policy = policy
    }
}
