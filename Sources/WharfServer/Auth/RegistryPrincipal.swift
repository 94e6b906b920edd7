/// Who made a request and what they may do, once authenticated.
struct RegistryPrincipal: Sendable {
    enum Grants: Sendable {
        /// No access control.
        case everything
        /// A user (or anonymous) under a policy this registry knows.
        case policy(AccessPolicy)
        /// Whatever a bearer token lists.
        case token(VerifiedRegistryToken)
    }

    /// The authenticated user; `nil` for anonymous.
    var user: String?
    var grants: Grants

    static let unrestricted = RegistryPrincipal(user: nil, grants: .everything)

    /// The actions the principal may take on `repository`.
    func actions(on repository: String) -> Set<RegistryAction> {
        switch grants {
        case .everything: Set(RegistryAction.allCases)
        case .policy(let policy): policy.actions(for: user, on: repository)
        case .token(let token): token.actions(on: repository)
        }
    }

    /// Whether the principal may pull every repository: a token lists its repositories, so
    /// only the absence of access control or a policy rule on `**` says so.
    var mayPullEveryRepository: Bool {
        switch grants {
        case .everything: true
        case .policy(let policy): policy.mayPullEveryRepository(user)
        case .token: false
        }
    }

    /// Whether the principal holds every action of `scope`.
    func holds(_ scope: AccessScope) -> Bool {
        switch scope.type {
        case "repository":
            return scope.registryActions.isSubset(of: actions(on: scope.name))
        case "registry" where scope.name == "catalog":
            switch grants {
            case .everything: return true
            case .policy(let policy): return policy.mayListCatalog(user)
            case .token(let token): return token.mayListCatalog
            }
        default:
            return false
        }
    }
}
