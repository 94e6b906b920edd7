import Crypto
import CryptoExtras
public import Foundation
import JWTKit
import SwiftASN1
import X509

/// Checks bearer tokens: signature by a trusted key, issuer, audience (the service) and
/// validity window.
///
/// Trusted keys are PEM public keys or certificates (ECDSA P-256/P-384/P-521 or RSA), as a
/// Distribution `rootcertbundle` holds them; each is known by its libtrust key ID, which
/// is what token services compatible with Distribution put in the `kid` header.
public struct RegistryTokenVerifier: Sendable {
    /// The `iss` a token must carry.
    public let issuer: String
    /// The service (`aud`) a token must be for.
    public let service: String
    /// How far clocks may disagree.
    public let leeway: Duration
    /// The libtrust key IDs of the trusted keys.
    public let keyIDs: [String]
    private let keys: JWTKeyCollection

    /// Trusts the keys in `trustedKeysPEM` (certificates and public keys, any number).
    public init(
        issuer: String, service: String, trustedKeysPEM: String, leeway: Duration = .seconds(60)
    ) async throws {
        let keys = JWTKeyCollection()
        var keyIDs: [String] = []
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: trustedKeysPEM)
        } catch {
            throw RegistryTokenError("trusted keys are not PEM: \(error)")
        }
        for document in documents {
            let publicKey: Certificate.PublicKey
            switch document.discriminator {
            case "CERTIFICATE": publicKey = try Certificate(pemDocument: document).publicKey
            case "PUBLIC KEY": publicKey = try Certificate.PublicKey(pemDocument: document)
            default: continue
            }
            let keyID = LibtrustKeyID.make(subjectPublicKeyInfo: try publicKey.serializeAsPEM().derBytes)
            let kid = JWKIdentifier(string: keyID)
            if let key = P256.Signing.PublicKey(publicKey) {
                await keys.add(ecdsa: try ES256PublicKey(backing: key), kid: kid)
            } else if let key = P384.Signing.PublicKey(publicKey) {
                await keys.add(ecdsa: try ES384PublicKey(backing: key), kid: kid)
            } else if let key = P521.Signing.PublicKey(publicKey) {
                await keys.add(ecdsa: try ES512PublicKey(backing: key), kid: kid)
            } else if let key = _RSA.Signing.PublicKey(publicKey) {
                await keys.add(
                    rsa: try Insecure.RSA.PublicKey(backing: key), digestAlgorithm: .sha256, kid: kid)
            } else {
                throw RegistryTokenError("unsupported trusted key type: \(publicKey)")
            }
            keyIDs.append(keyID)
        }
        guard !keyIDs.isEmpty else {
            throw RegistryTokenError("no certificate or public key among the trusted keys")
        }
        self.init(issuer: issuer, service: service, keys: keys, keyIDs: keyIDs, leeway: leeway)
    }

    init(issuer: String, service: String, keys: JWTKeyCollection, keyIDs: [String], leeway: Duration) {
        self.issuer = issuer
        self.service = service
        self.keys = keys
        self.keyIDs = keyIDs
        self.leeway = leeway
    }

    /// The `kid` of a token's header, if it has one.
    static func keyID(of token: String) -> String? {
        guard let header = token.split(separator: ".", omittingEmptySubsequences: false).first,
            header.count < 4096
        else { return nil }
        var base64 = header.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["kid"] as? String
    }

    /// Verifies `token` at `now` and returns what it grants.
    public func verify(_ token: String, now: Date = Date()) async throws -> VerifiedRegistryToken {
        // A token naming a key this registry does not trust is refused by that name, as
        // Distribution refuses it, even when another trusted key would verify it.
        if let keyID = Self.keyID(of: token), !keyIDs.contains(keyID) {
            throw RegistryTokenError("signed with an untrusted key \"\(keyID.prefix(64))\"")
        }
        let claims: RegistryTokenClaims
        do {
            claims = try await keys.verify(token, as: RegistryTokenClaims.self, iteratingKeys: true)
        } catch {
            throw RegistryTokenError("signature or format: \(error)")
        }
        guard claims.iss == issuer else {
            throw RegistryTokenError("issued by \"\(claims.iss)\", not \"\(issuer)\"")
        }
        guard claims.aud.contains(service) else {
            throw RegistryTokenError("audience \(claims.aud) does not include \"\(service)\"")
        }
        let seconds = Int64(now.timeIntervalSince1970)
        let slack = leeway.components.seconds
        guard claims.exp > 0, seconds <= claims.exp + slack else { throw RegistryTokenError("expired") }
        if let nbf = claims.nbf, seconds + slack < nbf { throw RegistryTokenError("not valid yet") }
        return VerifiedRegistryToken(
            subject: claims.sub.isEmpty ? nil : claims.sub,
            access: (claims.access ?? []).map {
                AccessScope(type: $0.type, name: $0.name, actions: $0.actions)
            })
    }
}
