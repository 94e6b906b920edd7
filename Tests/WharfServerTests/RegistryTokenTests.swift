import Foundation
import Testing
import WharfServer
import WharfTestSupport

@testable import WharfServerAuth

@Suite("Registry bearer tokens", .tags(.interop), .enabled(if: ExternalTool.openssl.shouldRun))
struct RegistryTokenTests {
    @Test("an issued token verifies and carries its subject and access")
    func roundTrip() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try await Self.issuer(in: directory.path)
        let issued = try await issuer.issue(
            subject: "alice", access: [.repository("team/app", [.pull, .push]), .catalog])
        let verified = try await issuer.verifier.verify(issued.token)
        #expect(verified.subject == "alice")
        #expect(verified.actions(on: "team/app") == [.pull, .push])
        #expect(verified.actions(on: "team/other").isEmpty)
        #expect(verified.mayListCatalog)
        #expect(issued.expiresIn == 300)
    }

    @Test("the header names ES256 and the libtrust key ID, and claims are whole seconds")
    func headerAndClaimsAreDistributionShaped() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try await Self.issuer(in: directory.path)
        let token = try await issuer.issue(subject: nil, access: []).token
        let parts = token.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        let header = try #require(
            try JSONSerialization.jsonObject(with: try Self.base64URL(parts[0])) as? [String: Any])
        #expect(header["alg"] as? String == "ES256")
        #expect(header["kid"] as? String == issuer.keyID)
        let payload = String(decoding: try Self.base64URL(parts[1]), as: UTF8.self)
        #expect(payload.contains(#""aud":"wharf-test""#))
        #expect(!payload.contains("."), "numeric dates carry no fraction: \(payload)")
        #expect(try Self.base64URL(parts[2]).count == 64, "JWS ECDSA signatures are r||s, 64 bytes")
    }

    @Test("the key ID matches libtrust's, computed independently with openssl and base32")
    func keyIDMatchesIndependentComputation() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try await AuthFixture.signingKey(in: directory.path)
        let issuer = try await RegistryTokenIssuer(
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8), issuer: "i", service: "s")
        let script =
            "openssl ec -in '\(key)' -pubout -outform DER 2>/dev/null | openssl dgst -sha256 -binary | head -c 30 | base32"
        let encoded = try await ProcessRunner.run("/bin/sh", ["-c", script]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let grouped = stride(from: 0, to: encoded.count, by: 4).map { offset in
            let start = encoded.index(encoded.startIndex, offsetBy: offset)
            return String(encoded[start..<encoded.index(start, offsetBy: 4)])
        }.joined(separator: ":")
        #expect(issuer.keyID == grouped)
    }

    @Test("a verifier built from the signing key's certificate trusts the issuer's tokens")
    func certificateBundleVerifies() async throws {
        let directory = try TemporaryDirectory()
        let (key, certificate) = try await AuthFixture.signingKey(in: directory.path)
        let issuer = try await RegistryTokenIssuer(
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8), issuer: "wharf-issuer",
            service: "wharf-test")
        let verifier = try await RegistryTokenVerifier(
            issuer: "wharf-issuer", service: "wharf-test",
            trustedKeysPEM: try String(contentsOfFile: certificate, encoding: .utf8))
        #expect(verifier.keyIDs == [issuer.keyID])
        let token = try await issuer.issue(subject: "bob", access: [.repository("app", [.pull])]).token
        #expect(try await verifier.verify(token).subject == "bob")
    }

    @Test("tokens from another key, issuer or service, expired, not yet valid, or tampered are rejected")
    func untrustedTokensAreRejected() async throws {
        let directory = try TemporaryDirectory()
        let issuer = try await Self.issuer(in: directory.path)
        let stranger = try await Self.issuer(in: directory.path, name: "stranger")
        let otherService = try await RegistryTokenIssuer(
            privateKeyPEM: try String(contentsOfFile: directory.appending("token.key"), encoding: .utf8),
            issuer: "wharf-issuer", service: "elsewhere")
        let otherIssuer = try await RegistryTokenIssuer(
            privateKeyPEM: try String(contentsOfFile: directory.appending("token.key"), encoding: .utf8),
            issuer: "someone-else", service: "wharf-test")
        let access: [AccessScope] = [.repository("app", [.pull])]
        let verifier = issuer.verifier

        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(try await stranger.issue(subject: "a", access: access).token)
        }
        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(try await otherService.issue(subject: "a", access: access).token)
        }
        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(try await otherIssuer.issue(subject: "a", access: access).token)
        }
        let anHourAgo = Date().addingTimeInterval(-3600)
        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(
                try await issuer.issue(subject: "a", access: access, now: anHourAgo).token)
        }
        let inAnHour = Date().addingTimeInterval(3600)
        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(
                try await issuer.issue(subject: "a", access: access, now: inAnHour).token)
        }
        // Within the leeway a slightly stale token still passes.
        let justExpired = Date().addingTimeInterval(-330)
        #expect(
            try await verifier.verify(
                try await issuer.issue(subject: "a", access: access, now: justExpired).token
            ).subject == "a")

        let genuine = try await issuer.issue(subject: "a", access: access).token
        var parts = genuine.split(separator: ".").map(String.init)
        var claims = try #require(
            try JSONSerialization.jsonObject(with: try Self.base64URL(parts[1])) as? [String: Any])
        claims["access"] = [["type": "repository", "name": "app", "actions": ["pull", "push", "delete"]]]
        parts[1] = Self.base64URLString(try JSONSerialization.data(withJSONObject: claims))
        await #expect(throws: RegistryTokenError.self) {
            try await verifier.verify(parts.joined(separator: "."))
        }
        await #expect(throws: RegistryTokenError.self) { try await verifier.verify("not.a.token") }
        await #expect(throws: RegistryTokenError.self) { try await verifier.verify("") }
    }

    static func issuer(in directory: String, name: String = "token") async throws -> RegistryTokenIssuer {
        let (key, _) = try await AuthFixture.signingKey(in: directory, name: name)
        return try await RegistryTokenIssuer(
            privateKeyPEM: try String(contentsOfFile: key, encoding: .utf8), issuer: "wharf-issuer",
            service: "wharf-test")
    }

    static func base64URL(_ text: String) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return try #require(Data(base64Encoded: base64))
    }

    static func base64URLString(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/", with: "_"
        )
        .replacingOccurrences(of: "=", with: "")
    }
}
