import Foundation
import HTTPTypes
import Hummingbird

/// Decides whether a request may proceed: authenticates its credentials and checks the
/// access it needs, or answers 401 with a challenge that tells the client how to get in,
/// or 403 when the registry knows the user may not.
struct RegistryAuthorizer: Sendable {
    let accessControl: RegistryAccessControl
    /// Decides the scheme of the derived token realm.
    let usesTLS: Bool

    func authorize(_ required: RequiredAccess, request: Request) async throws -> RegistryPrincipal {
        let header = AuthorizationHeader(request.headers[.authorization])
        let policy = accessControl.policy
        switch accessControl.authentication {
        case .basic(let realm, let users):
            let challenge = "Basic realm=\(Self.quoted(realm))"
            let principal: RegistryPrincipal
            switch header {
            case nil:
                principal = RegistryPrincipal(user: nil, grants: .policy(policy))
            case .basic(let user, let password):
                guard await users.verify(user: user, password: password) else {
                    throw Self.unauthorized(challenge, message: "invalid username or password")
                }
                principal = RegistryPrincipal(user: user, grants: .policy(policy))
            case .bearer, .unusable:
                throw Self.unauthorized(challenge, message: "basic authentication required")
            }
            try check(principal, required) { _ in challenge }
            return principal
        case .token(let token):
            let principal: RegistryPrincipal
            var invalidToken = false
            switch header {
            case nil:
                principal = RegistryPrincipal(user: nil, grants: .policy(policy))
            case .bearer(let credential):
                do {
                    let verified = try await token.verifier.verify(credential)
                    principal = RegistryPrincipal(user: verified.subject, grants: .token(verified))
                } catch {
                    principal = RegistryPrincipal(user: nil, grants: .policy(AccessPolicy(rules: [])))
                    invalidToken = true
                }
            case .basic(let user, let password):
                guard let users = token.users, await users.verify(user: user, password: password) else {
                    throw Self.unauthorized(
                        bearerChallenge(token, request: request, required: required, error: "invalid_token"),
                        message: "invalid credentials")
                }
                principal = RegistryPrincipal(user: user, grants: .policy(policy))
            case .unusable:
                throw Self.unauthorized(
                    bearerChallenge(token, request: request, required: required, error: nil),
                    message: "bearer token required")
            }
            if invalidToken {
                throw Self.unauthorized(
                    bearerChallenge(token, request: request, required: required, error: "invalid_token"),
                    message: "invalid or expired token")
            }
            try check(principal, required) { presented in
                bearerChallenge(
                    token, request: request, required: required, error: presented ? "insufficient_scope" : nil
                )
            }
            return principal
        }
    }

    /// Lets `principal` through if it holds `required`; otherwise 403 when the registry
    /// knows the user is not allowed, 401 (with a fresh challenge) when new credentials or
    /// a token with more scope could help.
    private func check(
        _ principal: RegistryPrincipal, _ required: RequiredAccess,
        challenge: (_ tokenPresented: Bool) -> String
    ) throws {
        var tokenPresented = false
        if case .token = principal.grants { tokenPresented = true }
        switch required {
        case .authenticated:
            if principal.user != nil || tokenPresented { return }
            throw Self.unauthorized(challenge(false), message: "authentication required")
        case .scopes(let scopes):
            let missing = scopes.filter { !principal.holds($0) }
            if missing.isEmpty { return }
            if let user = principal.user, knowsDenied(user: user, missing: missing, grants: principal.grants)
            {
                throw RegistryHTTPError(
                    .forbidden, code: .denied, message: "requested access to the resource is denied")
            }
            throw Self.unauthorized(challenge(tokenPresented), message: "authentication required")
        }
    }

    /// Whether this registry's own policy denies `user` a scope: always for Basic users;
    /// for a token user only when the built-in token service (which applies the same
    /// policy) would not grant it either. An external service's decisions are unknown.
    private func knowsDenied(user: String, missing: [AccessScope], grants: RegistryPrincipal.Grants) -> Bool {
        switch grants {
        case .everything: return false
        case .policy: return true
        case .token:
            guard case .token(let token) = accessControl.authentication, token.issuer != nil else {
                return false
            }
            let underPolicy = RegistryPrincipal(user: user, grants: .policy(accessControl.policy))
            return missing.contains { !underPolicy.holds($0) }
        }
    }

    private func bearerChallenge(
        _ token: TokenAuthentication, request: Request, required: RequiredAccess, error: String?
    ) -> String {
        let realm =
            token.realm ?? "\(usesTLS ? "https" : "http")://\(request.head.authority ?? "localhost")/token"
        var challenge = "Bearer realm=\(Self.quoted(realm)),service=\(Self.quoted(token.service))"
        if case .scopes(let scopes) = required, !scopes.isEmpty {
            challenge += ",scope=\(Self.quoted(scopes.map(\.description).joined(separator: " ")))"
        }
        if let error { challenge += ",error=\(Self.quoted(error))" }
        return challenge
    }

    static func unauthorized(_ challenge: String, message: String) -> RegistryHTTPError {
        RegistryHTTPError(
            .unauthorized, code: .unauthorized, message: message, headers: [.wwwAuthenticate: challenge])
    }

    /// A quoted-string (RFC 9110): backslash-escapes quotes and backslashes.
    static func quoted(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }
}
