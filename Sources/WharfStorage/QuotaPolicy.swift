/// Storage limits per repository and per namespace (a repository name's first path
/// component: `team` for `team/app`).
///
/// Usage counts each distinct blob and manifest a repository (or namespace) references
/// once, however many times it is linked; bytes shared with other namespaces count in
/// each. An upload, mount or manifest that would go past a limit is refused with
/// ``RegistryStoreError/denied(_:)`` and leaves nothing behind.
public struct QuotaPolicy: Sendable, Hashable {
    /// The limit for every repository without its own, in bytes.
    public var defaultRepositoryLimit: Int64?
    /// The limit for every namespace without its own, in bytes.
    public var defaultNamespaceLimit: Int64?
    /// Limits of particular repositories, by name.
    public var repositoryLimits: [String: Int64]
    /// Limits of particular namespaces, by name.
    public var namespaceLimits: [String: Int64]

    /// Creates a policy.
    public init(
        defaultRepositoryLimit: Int64? = nil, defaultNamespaceLimit: Int64? = nil,
        repositoryLimits: [String: Int64] = [:], namespaceLimits: [String: Int64] = [:]
    ) {
        self.defaultRepositoryLimit = defaultRepositoryLimit
        self.defaultNamespaceLimit = defaultNamespaceLimit
        self.repositoryLimits = repositoryLimits
        self.namespaceLimits = namespaceLimits
    }

    /// The limit that applies to a repository, if any.
    public func repositoryLimit(_ repository: String) -> Int64? {
        repositoryLimits[repository] ?? defaultRepositoryLimit
    }

    /// The limit that applies to a namespace, if any.
    public func namespaceLimit(_ namespace: String) -> Int64? {
        namespaceLimits[namespace] ?? defaultNamespaceLimit
    }

    /// The namespace of a repository: its first path component.
    public static func namespace(of repository: String) -> String {
        String(repository.split(separator: "/", maxSplits: 1).first ?? Substring(repository))
    }
}
