/// Docker token authentication: clients are sent to a token service (the challenge's
/// `realm`) for a token that lists what they may do, and present it as a bearer token.
public struct TokenAuthentication: Sendable {
    /// The token service clients are sent to. `nil` means the built-in service at `/token`
    /// on the host the client used.
    public var realm: String?
    /// Checks the tokens clients present.
    public var verifier: RegistryTokenVerifier
    /// The built-in token service's signer; `nil` when tokens come from elsewhere.
    public var issuer: RegistryTokenIssuer?
    /// The users the built-in token service knows. They may also authenticate to the API
    /// with Basic directly, as zot allows.
    public var users: HtpasswdFile?

    /// The service name tokens are for.
    public var service: String { verifier.service }

    /// Runs the built-in token service: tokens signed by `issuer` for `users`.
    public init(issuer: RegistryTokenIssuer, users: HtpasswdFile?, realm: String? = nil) {
        self.realm = realm
        self.verifier = issuer.verifier
        self.issuer = issuer
        self.users = users
    }

    /// Trusts an external token service at `realm` whose tokens `verifier` checks.
    public init(realm: String, verifier: RegistryTokenVerifier) {
        self.realm = realm
        self.verifier = verifier
        self.issuer = nil
        self.users = nil
    }
}
