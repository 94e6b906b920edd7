public import Hummingbird
public import WharfServer

/// HTTP Basic authentication over an htpasswd file, with an access policy: Distribution's
/// `auth.htpasswd`, plus per-repository rules.
public struct BasicAccessControl: RegistryAccessControl {
    /// The realm of the `Basic` challenge.
    public var realm: String
    /// The users and their bcrypt password hashes.
    public var users: HtpasswdFile
    /// What each user (and anonymous clients) may do.
    public var policy: AccessPolicy

    /// Creates Basic access control.
    public init(
        realm: String = "Wharf Registry", users: HtpasswdFile,
        policy: AccessPolicy = .authenticatedUsersMayDoAnything
    ) {
        self.realm = realm
        self.users = users
        self.policy = policy
    }

    /// Checks the request's Basic credentials (none means anonymous) and the policy: 401
    /// with a `Basic` challenge when credentials are missing or wrong, 403 `DENIED` when the
    /// user may not.
    public func authorize(
        _ required: RequiredAccess, request: Request, usesTLS: Bool
    ) async throws
        -> RegistryPrincipal
    {
        let challenge = "Basic realm=\(RegistryHTTPError.quotedString(realm))"
        let principal: RegistryPrincipal
        switch AuthorizationHeader(request.headers[.authorization]) {
        case nil:
            principal = RegistryPrincipal(user: nil, grants: .policy(policy))
        case .basic(let user, let password):
            guard await users.verify(user: user, password: password) else {
                throw RegistryHTTPError.unauthorized(
                    challenge: challenge, message: "invalid username or password")
            }
            principal = RegistryPrincipal(user: user, grants: .policy(policy))
        case .bearer, .unusable:
            throw RegistryHTTPError.unauthorized(
                challenge: challenge, message: "basic authentication required")
        }
        // The policy is this registry's own: a user it refuses is refused for good.
        try principal.require(required, challenge: { _ in challenge }, knowsDenied: { _, _ in true })
        return principal
    }
}
