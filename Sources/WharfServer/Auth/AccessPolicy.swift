/// Who may do what to which repository.
///
/// A user's actions on a repository are the union of every rule that applies; with no rule
/// at all nobody is granted anything. Anonymous clients (no credentials) may pull every
/// repository when ``anonymousPull`` is on, and nothing else.
public struct AccessPolicy: Sendable, Hashable, Codable {
    /// The rules, in any order: grants add up.
    public var rules: [AccessRule]
    /// Whether clients without credentials may pull (and list the catalog).
    public var anonymousPull: Bool

    /// Creates a policy.
    public init(rules: [AccessRule], anonymousPull: Bool = false) {
        self.rules = rules
        self.anonymousPull = anonymousPull
    }

    /// Distribution's behaviour with htpasswd: every authenticated user may do everything
    /// the distribution API offers (``RegistryAction/distribution``); administration needs
    /// a rule that names `admin`.
    public static let authenticatedUsersMayDoAnything = AccessPolicy(
        rules: [AccessRule(repositories: "**", users: ["*"], actions: RegistryAction.distribution)])

    /// What `user` (`nil` for anonymous) may do to `repository`.
    public func actions(for user: String?, on repository: String) -> Set<RegistryAction> {
        guard let user else { return anonymousPull ? [.pull] : [] }
        var granted: Set<RegistryAction> = []
        for rule in rules where rule.applies(to: user, repository: repository) {
            granted.formUnion(rule.actions)
        }
        return granted
    }

    /// Whether `user` (`nil` for anonymous) may pull every repository, present or future —
    /// a rule on `**` grants it. Then a mount that names no source repository reveals
    /// nothing the user could not read anyway.
    public func mayPullEveryRepository(_ user: String?) -> Bool {
        guard let user else { return anonymousPull }
        return rules.contains {
            ($0.users.contains(user) || $0.users.contains("*")) && $0.repositories.pattern == "**"
                && $0.actions.contains(.pull)
        }
    }

    /// Whether `user` may administer every repository, present or future: a rule on `**`
    /// granting `admin`. Anonymous clients never may.
    public func mayAdministerEveryRepository(_ user: String?) -> Bool {
        guard let user else { return false }
        return rules.contains {
            ($0.users.contains(user) || $0.users.contains("*")) && $0.repositories.pattern == "**"
                && $0.actions.contains(.admin)
        }
    }

    /// Whether `user` may list the catalog: every authenticated user, and anonymous clients
    /// when they may pull.
    public func mayListCatalog(_ user: String?) -> Bool {
        user != nil || anonymousPull
    }

    /// The part of `scope` that `user` may have: the requested actions it is allowed,
    /// `nil` when none.
    public func grant(_ scope: AccessScope, to user: String?) -> AccessScope? {
        switch scope.type {
        case "repository":
            let allowed = actions(for: user, on: scope.name)
            let granted = scope.registryActions.intersection(allowed)
            return granted.isEmpty ? nil : .repository(scope.name, Array(granted))
        case "registry" where scope.name == "catalog":
            return mayListCatalog(user) ? .catalog : nil
        case "registry" where scope == .administration:
            return mayAdministerEveryRepository(user) ? .administration : nil
        default:
            return nil
        }
    }
}
