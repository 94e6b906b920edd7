/// Grants actions on the repositories a pattern matches to some users.
public struct AccessRule: Sendable, Hashable, Codable {
    /// The repositories the rule covers.
    public var repositories: RepositoryPattern
    /// The user names the rule applies to; `*` stands for every authenticated user.
    public var users: Set<String>
    /// What those users may do.
    public var actions: Set<RegistryAction>

    /// Creates a rule.
    public init(repositories: RepositoryPattern, users: Set<String>, actions: Set<RegistryAction>) {
        self.repositories = repositories
        self.users = users
        self.actions = actions
    }

    /// Whether the rule applies to `user` (an authenticated name) on `repository`.
    func applies(to user: String, repository: String) -> Bool {
        (users.contains(user) || users.contains("*")) && repositories.matches(repository)
    }
}
