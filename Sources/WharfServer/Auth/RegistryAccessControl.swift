public import Hummingbird

/// Who may use the registry: the gate every request under `/v2/` passes before it is
/// answered, and the owner of any endpoint of its own outside `/v2/` (a token service).
///
/// `WharfServerAuth` has the two of the field: HTTP Basic over an htpasswd file
/// (`BasicAccessControl`) and Docker bearer tokens with a built-in or external token service
/// (`TokenAccessControl`). An embedder can bring another (single sign-on, mTLS) by
/// conforming to this protocol; the registry itself depends on nothing else.
public protocol RegistryAccessControl: Sendable {
    /// Authenticates `request` and checks that it may do what `required` says; returns who
    /// made it, or throws a ``RegistryHTTPError`` the client is answered with (401 with a
    /// `WWW-Authenticate` challenge when credentials could help, 403 `DENIED` when the
    /// registry knows they cannot). `usesTLS` tells how clients reach the server, for URLs
    /// derived from the request.
    func authorize(
        _ required: RequiredAccess, request: Request, usesTLS: Bool
    ) async throws -> RegistryPrincipal

    /// Answers a request outside `/v2/` that belongs to access control (the built-in token
    /// service at `/token`), or returns `nil` for any other path.
    func respond(to request: Request, usesTLS: Bool) async throws -> Response?
}

extension RegistryAccessControl {
    /// Access control owns no endpoint of its own unless it says so.
    public func respond(to request: Request, usesTLS: Bool) async throws -> Response? { nil }
}
