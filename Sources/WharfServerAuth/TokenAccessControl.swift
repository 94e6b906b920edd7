public import Hummingbird
public import WharfServer

/// Docker bearer-token authentication, with the built-in token service at `/token` or a
/// trusted external one, and an access policy: Distribution's `auth.token`.
///
/// A request without a token is challenged with the realm, service and the scope it needs;
/// a token grants exactly the scopes it lists. Users the built-in service knows may also
/// use Basic directly, as zot allows.
public struct TokenAccessControl: RegistryAccessControl {
    /// The token service and the tokens it issues.
    public var authentication: TokenAuthentication
    /// What each user (and anonymous clients) may do: the built-in token service grants by
    /// it, and Basic users are held to it.
    public var policy: AccessPolicy

    /// Where the built-in token service answers.
    public static let tokenPath = "/token"

    /// Creates token access control.
    public init(
        _ authentication: TokenAuthentication, policy: AccessPolicy = .authenticatedUsersMayDoAnything
    ) {
        self.authentication = authentication
        self.policy = policy
    }

    /// Checks the request's bearer token (or Basic credentials of a known user) against
    /// what it needs: 401 with a `Bearer` challenge naming the scope when a token (with more
    /// scope) could help, 403 `DENIED` when this registry's own policy refuses the user.
    public func authorize(
        _ required: RequiredAccess, request: Request, usesTLS: Bool
    ) async throws
        -> RegistryPrincipal
    {
        let token = authentication
        func challenge(_ error: String?) -> String {
            bearerChallenge(request: request, required: required, error: error, usesTLS: usesTLS)
        }
        let principal: RegistryPrincipal
        switch AuthorizationHeader(request.headers[.authorization]) {
        case nil:
            principal = RegistryPrincipal(user: nil, grants: .policy(policy))
        case .bearer(let credential):
            do {
                let verified = try await token.verifier.verify(credential)
                principal = RegistryPrincipal(user: verified.subject, grants: .scopes(verified.access))
            } catch {
                throw RegistryHTTPError.unauthorized(
                    challenge: challenge("invalid_token"), message: "invalid or expired token")
            }
        case .basic(let user, let password):
            guard let users = token.users, await users.verify(user: user, password: password) else {
                throw RegistryHTTPError.unauthorized(
                    challenge: challenge("invalid_token"), message: "invalid credentials")
            }
            principal = RegistryPrincipal(user: user, grants: .policy(policy))
        case .unusable:
            throw RegistryHTTPError.unauthorized(challenge: challenge(nil), message: "bearer token required")
        }
        try principal.require(
            required, challenge: { presented in challenge(presented ? "insufficient_scope" : nil) },
            knowsDenied: { user, missing in
                knowsDenied(user: user, missing: missing, grants: principal.grants)
            })
        return principal
    }

    /// The built-in token service at ``tokenPath``, when this access control runs one.
    public func respond(to request: Request, usesTLS: Bool) async throws -> Response? {
        guard request.uri.path == Self.tokenPath, let issuer = authentication.issuer else { return nil }
        return try await TokenService(authentication: authentication, issuer: issuer, policy: policy)
            .issue(request)
    }

    /// Whether this registry's own policy denies `user` a scope: always for Basic users;
    /// for a token's user only when the built-in token service (which applies the same
    /// policy) would not grant it either. An external service's decisions are unknown.
    private func knowsDenied(user: String, missing: [AccessScope], grants: RegistryPrincipal.Grants) -> Bool {
        switch grants {
        case .everything: return false
        case .policy: return true
        case .scopes:
            guard authentication.issuer != nil else { return false }
            let underPolicy = RegistryPrincipal(user: user, grants: .policy(policy))
            return missing.contains { !underPolicy.holds($0) }
        }
    }

    private func bearerChallenge(
        request: Request, required: RequiredAccess, error: String?, usesTLS: Bool
    ) -> String {
        let realm =
            authentication.realm
            ?? "\(usesTLS ? "https" : "http")://\(request.head.authority ?? "localhost")\(Self.tokenPath)"
        var challenge =
            "Bearer realm=\(RegistryHTTPError.quotedString(realm)),service=\(RegistryHTTPError.quotedString(authentication.service))"
        if case .scopes(let scopes) = required, !scopes.isEmpty {
            challenge +=
                ",scope=\(RegistryHTTPError.quotedString(scopes.map(\.description).joined(separator: " ")))"
        }
        if let error { challenge += ",error=\(RegistryHTTPError.quotedString(error))" }
        return challenge
    }
}
