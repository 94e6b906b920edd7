import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WharfContent
import WharfServer
import WharfServerAuth
import WharfServerTestSupport
import WharfStorage
import WharfTestSupport

@Suite(
    "Token authentication over HTTP",
    .tags(.interop), .enabled(if: ExternalTool.htpasswd.shouldRun && ExternalTool.openssl.shouldRun))
struct TokenAccessControlTests {
    static func options(
        in directory: String, anonymousPull: Bool = false
    ) async throws -> RegistryServerOptions {
        try await TokenRegistryFixture.options(in: directory, anonymousPull: anonymousPull)
    }

    @Test("a request without a token is challenged with the realm, service and the scope it needs")
    func challengeNamesScope() async throws {
        let directory = try TemporaryDirectory()
        try await withRegistry(options: try await Self.options(in: directory.path)) { client in
            let response = try await client.send(.get, "/v2/team/app/tags/list")
            #expect(response.status == .unauthorized)
            #expect(errorCodes(response) == ["UNAUTHORIZED"])
            let challenge = try #require(response.headers[.wwwAuthenticate])
            #expect(challenge.hasPrefix(#"Bearer realm="http://"#))
            #expect(challenge.contains(#"/token",service="wharf-test",scope="repository:team/app:pull""#))
            let push = try await client.send(.post, "/v2/team/app/blobs/uploads/")
            #expect(
                push.headers[.wwwAuthenticate]?.contains(#"scope="repository:team/app:pull,push""#) == true)
            let catalog = try await client.send(.get, "/v2/_catalog")
            #expect(catalog.headers[.wwwAuthenticate]?.contains(#"scope="registry:catalog:*""#) == true)
            let base = try await client.send(.get, "/v2/")
            #expect(base.status == .unauthorized)
            #expect(base.headers[.wwwAuthenticate]?.contains("scope=") == false)
        }
    }

    @Test("the token service grants only what the policy allows, and the token opens exactly that")
    func tokensCarryPolicy() async throws {
        let directory = try TemporaryDirectory()
        try await withRegistry(options: try await Self.options(in: directory.path)) { client in
            let aliceToken = try await client.token(
                user: "alice", password: "alice-secret", scopes: ["repository:team/app:pull,push,delete"])
            #expect(aliceToken.access == ["repository:team/app:pull,push,delete"])
            let blob = Array("token layer".utf8)
            let digest = DigestHasher.digest(of: blob)
            let push = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?digest=\(digest)",
                headers: [.authorization: "Bearer \(aliceToken.token)"], body: blob)
            #expect(push.status == .created)
            #expect(
                try await client.send(.get, "/v2/", headers: [.authorization: "Bearer \(aliceToken.token)"])
                    .status == .ok)

            let bobToken = try await client.token(
                user: "bob", password: "bob-secret", scopes: ["repository:team/app:pull,push"])
            #expect(bobToken.access == ["repository:team/app:pull"])
            let bobPull = try await client.send(
                .get, "/v2/team/app/blobs/\(digest)", headers: [.authorization: "Bearer \(bobToken.token)"])
            #expect(bobPull.status == .ok)
            let bobPush = try await client.send(
                .post, "/v2/team/app/blobs/uploads/", headers: [.authorization: "Bearer \(bobToken.token)"])
            #expect(bobPush.status == .forbidden, "the registry knows its own policy denies bob")
            #expect(errorCodes(bobPush) == ["DENIED"])

            // alice's token is for team/app; on team/web she needs a new one, so 401, not 403.
            let elsewhere = try await client.send(
                .post, "/v2/team/web/blobs/uploads/", headers: [.authorization: "Bearer \(aliceToken.token)"])
            #expect(elsewhere.status == .unauthorized)
            #expect(
                elsewhere.headers[.wwwAuthenticate]?.contains(
                    #"scope="repository:team/web:pull,push",error="insufficient_scope""#) == true)
        }
    }

    @Test("wrong passwords get 401 at the token service; anonymous tokens grant pull only when allowed")
    func anonymousAndWrongCredentials() async throws {
        let directory = try TemporaryDirectory()
        try await withRegistry(options: try await Self.options(in: directory.path, anonymousPull: true)) {
            client in
            let wrong = try await client.send(
                .get, "/token?service=wharf-test&scope=repository:team/app:pull",
                headers: [.authorization: AuthFixture.basicAuthorization("alice", "nope")])
            #expect(wrong.status == .unauthorized)
            let anonymous = try await client.token(
                user: nil, password: nil, scopes: ["repository:team/app:pull,push"])
            #expect(anonymous.access == ["repository:team/app:pull"])
            #expect(
                try await client.send(
                    .get, "/v2/team/app/tags/list", headers: [.authorization: "Bearer \(anonymous.token)"]
                ).status
                    == .notFound, "pull allowed: the repository simply has no tags yet")
            let push = try await client.send(
                .post, "/v2/team/app/blobs/uploads/", headers: [.authorization: "Bearer \(anonymous.token)"])
            #expect(push.status == .unauthorized, "anonymous: log in for more")
            let otherService = try await client.send(.get, "/token?service=elsewhere&scope=repository:a:pull")
            #expect(otherService.status == .badRequest)
        }
        try await withRegistry(options: try await Self.options(in: directory.path, anonymousPull: false)) {
            client in
            let anonymous = try await client.token(
                user: nil, password: nil, scopes: ["repository:team/app:pull"])
            #expect(anonymous.access.isEmpty)
        }
    }

    @Test("tampered, foreign and garbage tokens are 401 invalid_token")
    func invalidTokens() async throws {
        let directory = try TemporaryDirectory()
        let foreign = try await RegistryTokenIssuer(
            privateKeyPEM: try String(
                contentsOfFile: try await AuthFixture.signingKey(in: directory.path, name: "foreign").key,
                encoding: .utf8),
            issuer: "wharf-issuer", service: "wharf-test")
        try await withRegistry(options: try await Self.options(in: directory.path)) { client in
            let forged = try await foreign.issue(
                subject: "alice", access: [.repository("team/app", [.pull, .push])])
            for credential in [forged.token, "garbage", "a.b.c"] {
                let response = try await client.send(
                    .get, "/v2/team/app/tags/list", headers: [.authorization: "Bearer \(credential)"])
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.contains(#"error="invalid_token""#) == true)
            }
        }
    }
}

struct IssuedTestToken {
    var token: String
    var access: [String]
}

extension TestClientProtocol {
    /// Asks the built-in token service for `scopes` and decodes the granted access.
    func token(user: String?, password: String?, scopes: [String]) async throws -> IssuedTestToken {
        var headers: HTTPFields = [:]
        if let user, let password { headers[.authorization] = AuthFixture.basicAuthorization(user, password) }
        let query = scopes.map {
            "scope=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)"
        }
        .joined(separator: "&")
        let response = try await send(.get, "/token?service=wharf-test&\(query)", headers: headers)
        guard response.status == .ok else { throw HarnessFailure("token: \(response.status)") }
        let body = try JSONDecoder().decode(TokenBody.self, from: Data(response.body.readableBytesView))
        guard body.token == body.access_token, body.expires_in > 0 else { throw HarnessFailure("token body") }
        let payload = body.token.split(separator: ".")[1]
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        let claims = try JSONDecoder().decode(TokenClaims.self, from: Data(base64Encoded: base64) ?? Data())
        return IssuedTestToken(
            token: body.token,
            access: claims.access.map { "\($0.type):\($0.name):\($0.actions.joined(separator: ","))" })
    }
}

private struct TokenBody: Decodable {
    var token: String
    var access_token: String
    var expires_in: Int
}

private struct TokenClaims: Decodable {
    struct Entry: Decodable {
        var type: String
        var name: String
        var actions: [String]
    }
    var access: [Entry]
}
