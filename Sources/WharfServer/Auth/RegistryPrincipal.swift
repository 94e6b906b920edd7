/// Who made a request and what they may do, once authenticated.
public struct RegistryPrincipal: Sendable, Equatable {
    /// Where the principal's rights come from.
    public enum Grants: Sendable, Equatable {
        /// No access control: everything.
        case everything
        /// A user (or anonymous) under a policy this registry knows.
        case policy(AccessPolicy)
        /// Exactly these scopes, as a bearer token lists them.
        case scopes([AccessScope])
    }

    /// The authenticated user; `nil` for anonymous.
    public var user: String?
    /// What the principal may do.
    public var grants: Grants

    /// Creates a principal.
    public init(user: String?, grants: Grants) {
        self.user = user
        self.grants = grants
    }

    /// Anyone, where there is no access control.
    public static let unrestricted = RegistryPrincipal(user: nil, grants: .everything)

    /// The actions the principal may take on `repository`.
    public func actions(on repository: String) -> Set<RegistryAction> {
        switch grants {
        case .everything:
            return Set(RegistryAction.allCases)
        case .policy(let policy):
            return policy.actions(for: user, on: repository)
        case .scopes(let scopes):
            var granted: Set<RegistryAction> = []
            for scope in scopes where scope.type == "repository" && scope.name == repository {
                granted.formUnion(scope.registryActions)
            }
            return granted
        }
    }

    /// Whether the principal holds `admin` on `repository`.
    public func administers(_ repository: String) -> Bool {
        actions(on: repository).contains(.admin)
    }

    /// Whether the principal may pull every repository: scopes list their repositories, so
    /// only the absence of access control or a policy rule on `**` says so.
    public var mayPullEveryRepository: Bool {
        switch grants {
        case .everything: true
        case .policy(let policy): policy.mayPullEveryRepository(user)
        case .scopes: false
        }
    }

    /// Whether the principal holds every action of `scope`.
    public func holds(_ scope: AccessScope) -> Bool {
        switch scope.type {
        case "repository":
            return scope.registryActions.isSubset(of: actions(on: scope.name))
        case "registry" where scope == .administration:
            switch grants {
            case .everything: return true
            case .policy(let policy): return policy.mayAdministerEveryRepository(user)
            case .scopes(let scopes): return scopes.contains(.administration)
            }
        case "registry" where scope.name == "catalog":
            switch grants {
            case .everything: return true
            case .policy(let policy): return policy.mayListCatalog(user)
            case .scopes(let scopes):
                return scopes.contains {
                    $0.type == "registry" && $0.name == "catalog" && !$0.actions.isEmpty
                }
            }
        default:
            return false
        }
    }

    /// Lets the principal through if it holds `required`; otherwise throws 403 `DENIED`
    /// when `knowsDenied` says the registry knows this user may not (new credentials
    /// cannot help), and 401 with `challenge` (told whether scopes were presented) when new
    /// credentials or a token with more scope could.
    public func require(
        _ required: RequiredAccess, challenge: (_ scopesPresented: Bool) -> String,
        knowsDenied: (_ user: String, _ missing: [AccessScope]) -> Bool
    ) throws {
        var scopesPresented = false
        if case .scopes = grants { scopesPresented = true }
        switch required {
        case .authenticated:
            if user != nil || scopesPresented { return }
            throw RegistryHTTPError.unauthorized(
                challenge: challenge(false), message: "authentication required")
        case .scopes(let scopes):
            let missing = scopes.filter { !holds($0) }
            if missing.isEmpty { return }
            if let user, knowsDenied(user, missing) {
                throw RegistryHTTPError(
                    .forbidden, code: .denied, message: "requested access to the resource is denied")
            }
            throw RegistryHTTPError.unauthorized(
                challenge: challenge(scopesPresented), message: "authentication required")
        }
    }
}
