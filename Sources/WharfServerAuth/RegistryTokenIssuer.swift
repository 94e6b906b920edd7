import Crypto
public import Foundation
import JWTKit

/// Signs registry bearer tokens (ES256) in the form Distribution's token authentication
/// accepts: `kid` is the libtrust ID of the signing key, so a Distribution registry with
/// a certificate for that key in its `rootcertbundle` trusts them too.
public struct RegistryTokenIssuer: Sendable {
    /// The `iss` claim.
    public let issuer: String
    /// The service the tokens are for (`aud`).
    public let service: String
    /// How long tokens are valid.
    public let lifetime: Duration
    /// The libtrust key ID of the signing key (the `kid` header).
    public let keyID: String
    /// A verifier that trusts exactly this issuer's key.
    public let verifier: RegistryTokenVerifier
    private let keys: JWTKeyCollection

    /// Creates an issuer from a P-256 private key in PEM (SEC1 `EC PRIVATE KEY` or PKCS#8).
    public init(
        privateKeyPEM: String, issuer: String, service: String, lifetime: Duration = .seconds(300)
    ) async throws {
        let privateKey: P256.Signing.PrivateKey
        do {
            privateKey = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM)
        } catch {
            throw RegistryTokenError(
                "the token signing key must be an ECDSA P-256 private key in PEM: \(error)")
        }
        keyID = LibtrustKeyID.make(subjectPublicKeyInfo: privateKey.publicKey.derRepresentation)
        keys = JWTKeyCollection()
        await keys.add(ecdsa: try ES256PrivateKey(backing: privateKey), kid: JWKIdentifier(string: keyID))
        let verifierKeys = JWTKeyCollection()
        await verifierKeys.add(
            ecdsa: try ES256PublicKey(backing: privateKey.publicKey), kid: JWKIdentifier(string: keyID))
        verifier = RegistryTokenVerifier(
            issuer: issuer, service: service, keys: verifierKeys, keyIDs: [keyID], leeway: .seconds(60))
        self.issuer = issuer
        self.service = service
        self.lifetime = lifetime
    }

    /// Issues a token to `subject` (`nil` for anonymous) granting `access`.
    public func issue(
        subject: String?, access: [AccessScope], now: Date = Date()
    ) async throws -> RegistryToken {
        let issued = Int64(now.timeIntervalSince1970)
        let seconds = max(Int(lifetime.components.seconds), 1)
        let claims = RegistryTokenClaims(
            iss: issuer, sub: subject ?? "", aud: [service], exp: issued + Int64(seconds),
            nbf: issued, iat: issued, jti: UUID().uuidString,
            access: access.map { .init(type: $0.type, name: $0.name, actions: $0.actions) })
        var header = JWTHeader()
        header.typ = "JWT"
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: keyID), header: header)
        return RegistryToken(
            token: token, issuedAt: Date(timeIntervalSince1970: TimeInterval(issued)), expiresIn: seconds,
            access: access)
    }
}
