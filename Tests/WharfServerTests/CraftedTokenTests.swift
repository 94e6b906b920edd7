import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WharfServer
import WharfServerAuth
import WharfServerTestSupport
import WharfTestSupport

/// Bearer tokens crafted by someone else: the attacks of the field (`alg: none`, HS256 with
/// the public key as secret, an unknown `kid`, a re-encoded or truncated signature) and the
/// edges of time and audience, each refused for its own reason.
@Suite("Crafted bearer tokens", .tags(.interop), .enabled(if: ExternalTool.openssl.shouldRun))
struct CraftedTokenTests {
    struct Fixture {
        var verifier: RegistryTokenVerifier
        var key: P256.Signing.PrivateKey
        var keyID: String
        var publicKeyPEM: String
    }

    static func fixture(in directory: String) async throws -> Fixture {
        let (keyPath, certificate) = try await AuthFixture.signingKey(in: directory, name: "token")
        let pem = try String(contentsOfFile: keyPath, encoding: .utf8)
        let issuer = try await RegistryTokenIssuer(
            privateKeyPEM: pem, issuer: "wharf-issuer", service: "wharf-test")
        let verifier = try await RegistryTokenVerifier(
            issuer: "wharf-issuer", service: "wharf-test",
            trustedKeysPEM: try String(contentsOfFile: certificate, encoding: .utf8))
        let key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        return Fixture(
            verifier: verifier, key: key, keyID: issuer.keyID, publicKeyPEM: key.publicKey.pemRepresentation)
    }

    static func encode(_ object: [String: Any]) throws -> String {
        RegistryTokenTests.base64URLString(
            try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func claims(
        now: Int = Int(Date().timeIntervalSince1970), audience: Any = "wharf-test",
        issuer: String = "wharf-issuer",
        expires: Int? = nil, notBefore: Int? = nil
    ) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "sub": "alice", "aud": audience, "exp": expires ?? now + 300, "iat": now,
            "access": [["type": "repository", "name": "team/app", "actions": ["pull"]]],
        ]
        if let notBefore { claims["nbf"] = notBefore }
        return claims
    }

    /// An ES256 token signed as a token service signs one, with `header` changes.
    static func signed(
        _ claims: [String: Any], _ fixture: Fixture, header: [String: Any]? = nil
    ) throws -> String {
        let input =
            try encode(header ?? ["alg": "ES256", "typ": "JWT", "kid": fixture.keyID]) + "." + encode(claims)
        let signature = try fixture.key.signature(for: Data(input.utf8))
        return input + "." + RegistryTokenTests.base64URLString(signature.rawRepresentation)
    }

    static func refusal(_ token: String, _ fixture: Fixture, now: Date = Date()) async -> String? {
        do {
            _ = try await fixture.verifier.verify(token, now: now)
            return nil
        } catch let error as RegistryTokenError {
            return error.reason
        } catch {
            return "not a RegistryTokenError: \(error)"
        }
    }

    @Test("a well-formed token verifies, with its audience as a string or a list")
    func genuine() async throws {
        let directory = try TemporaryDirectory()
        let fixture = try await Self.fixture(in: directory.path)
        for audience: Any in ["wharf-test", ["other", "wharf-test"]] {
            let token = try Self.signed(Self.claims(audience: audience), fixture)
            #expect(try await fixture.verifier.verify(token).subject == "alice")
        }
    }

    @Test("alg none, HS256 keyed with the public key, an unknown kid and mangled signatures are refused")
    func attacks() async throws {
        let directory = try TemporaryDirectory()
        let fixture = try await Self.fixture(in: directory.path)
        let claims = Self.claims()

        let unsigned =
            try Self.encode(["alg": "none", "typ": "JWT", "kid": fixture.keyID]) + "." + Self.encode(claims)
            + "."
        #expect(await Self.refusal(unsigned, fixture)?.contains("signature or format") == true)

        // Algorithm confusion: HMAC keyed with the verifier's own public key.
        let hsInput =
            try Self.encode(["alg": "HS256", "typ": "JWT", "kid": fixture.keyID]) + "." + Self.encode(claims)
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data(hsInput.utf8), using: SymmetricKey(data: Data(fixture.publicKeyPEM.utf8)))
        let confused = hsInput + "." + RegistryTokenTests.base64URLString(Data(mac))
        #expect(await Self.refusal(confused, fixture)?.contains("signature or format") == true)

        // Signed by the trusted key, but naming another: refused by name, as Distribution does.
        let renamed = try Self.signed(
            claims, fixture, header: ["alg": "ES256", "typ": "JWT", "kid": "ABCD:EFGH"])
        #expect(await Self.refusal(renamed, fixture)?.contains("untrusted key") == true)

        let genuine = try Self.signed(claims, fixture)
        let truncated = String(genuine.dropLast(3))
        #expect(await Self.refusal(truncated, fixture)?.contains("signature or format") == true)
        // The same signature DER-encoded, as some libraries emit it: JWS wants r || s.
        let input = genuine.split(separator: ".").prefix(2).joined(separator: ".")
        let der = try fixture.key.signature(for: Data(input.utf8)).derRepresentation
        let reencoded = input + "." + RegistryTokenTests.base64URLString(der)
        #expect(await Self.refusal(reencoded, fixture)?.contains("signature or format") == true)
    }

    @Test(
        "expiry and not-before are honoured to the second at the leeway's edge; issuer and audience must match"
    )
    func boundaries() async throws {
        let directory = try TemporaryDirectory()
        let fixture = try await Self.fixture(in: directory.path)
        let leeway = Int(fixture.verifier.leeway.components.seconds)
        let base = 1_780_000_000
        let at = { (seconds: Int) in Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let expiring = try Self.signed(Self.claims(now: base - 300, expires: base), fixture)
        #expect(await Self.refusal(expiring, fixture, now: at(base + leeway)) == nil, "at the edge")
        #expect(await Self.refusal(expiring, fixture, now: at(base + leeway + 1)) == "expired")
        let early = try Self.signed(
            Self.claims(now: base, expires: base + 600, notBefore: base + 100), fixture)
        #expect(await Self.refusal(early, fixture, now: at(base + 100 - leeway)) == nil, "at the edge")
        #expect(await Self.refusal(early, fixture, now: at(base + 100 - leeway - 1)) == "not valid yet")
        let noExpiry = try Self.signed(Self.claims().filter { $0.key != "exp" }, fixture)
        #expect(await Self.refusal(noExpiry, fixture) == "expired", "a token without exp never verifies")
        let wrongIssuer = try Self.signed(Self.claims(issuer: "someone-else"), fixture)
        #expect(await Self.refusal(wrongIssuer, fixture)?.contains("issued by") == true)
        for audience: Any in ["elsewhere", ["a", "b"], [String]()] {
            let token = try Self.signed(Self.claims(audience: audience), fixture)
            #expect(await Self.refusal(token, fixture)?.contains("audience") == true)
        }
    }

    @Test(
        "over HTTP: each crafted token is 401 invalid_token; a genuine one for team/app opens team/app only")
    func overHTTP() async throws {
        let directory = try TemporaryDirectory()
        let options = try await TokenRegistryFixture.options(in: directory.path)
        let pem = try String(contentsOfFile: directory.appending("token.key"), encoding: .utf8)
        let key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        let issuer = try await RegistryTokenIssuer(
            privateKeyPEM: pem, issuer: "wharf-issuer", service: "wharf-test")
        let fixture = Fixture(
            verifier: issuer.verifier, key: key, keyID: issuer.keyID,
            publicKeyPEM: key.publicKey.pemRepresentation)
        let claims = Self.claims()
        let genuine = try Self.signed(claims, fixture)
        let none =
            try Self.encode(["alg": "none", "typ": "JWT", "kid": fixture.keyID]) + "." + Self.encode(claims)
            + "."
        let hsInput =
            try Self.encode(["alg": "HS256", "typ": "JWT", "kid": fixture.keyID]) + "." + Self.encode(claims)
        let confused =
            hsInput + "."
            + RegistryTokenTests.base64URLString(
                Data(
                    HMAC<SHA256>.authenticationCode(
                        for: Data(hsInput.utf8), using: SymmetricKey(data: Data(fixture.publicKeyPEM.utf8)))))
        let renamed = try Self.signed(
            claims, fixture, header: ["alg": "ES256", "typ": "JWT", "kid": "ABCD:EFGH"])
        let expired = try Self.signed(
            Self.claims(
                now: Int(Date().timeIntervalSince1970) - 3_600,
                expires: Int(Date().timeIntervalSince1970) - 600),
            fixture)
        try await withRegistry(options: options) { client in
            func status(_ token: String, _ repository: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.send(
                    .get, "/v2/\(repository)/tags/list", headers: [.authorization: "Bearer \(token)"])
                return (response.status, response.headers[.wwwAuthenticate] ?? "")
            }
            #expect(
                try await status(genuine, "team/app").0 == .notFound, "authorized: the repository is empty")
            for token in [none, confused, renamed, expired, String(genuine.dropLast(2))] {
                let (code, challenge) = try await status(token, "team/app")
                #expect(code == .unauthorized)
                #expect(challenge.contains(#"error="invalid_token""#), "\(challenge)")
            }
            let (code, challenge) = try await status(genuine, "team/other")
            #expect(code == .unauthorized)
            #expect(
                challenge.contains(#"error="insufficient_scope""#), "a token for team/app opens nothing else")
        }
    }
}
