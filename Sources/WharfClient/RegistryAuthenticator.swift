import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A registry host's authentication state: the scheme its challenge asked for, the
/// credentials for it, and bearer tokens cached by scope until they expire.
///
/// Requests start with whatever is known (nothing, at first); a 401 teaches the
/// challenge, after which the request is repeated once with fresh credentials or a token
/// for the scopes it needs.
actor RegistryAuthenticator {
    private struct CachedToken {
        var value: String
        var expires: ContinuousClock.Instant
    }

    let host: String
    let credentials: any CredentialProvider
    private var challenge: AuthChallenge?
    private var tokens: [String: CachedToken] = [:]
    private var loadedCredentials: RegistryCredentials??

    init(host: String, credentials: any CredentialProvider) {
        self.host = host
        self.credentials = credentials
    }

    /// The `Authorization` value for a request needing `scopes`, from what is known;
    /// `nil` when the registry has not asked for anything (yet).
    func authorization(for scopes: [String], client: RegistryClient) async throws -> String? {
        guard let challenge else { return nil }
        switch challenge.scheme {
        case "basic":
            return try await basicAuthorization()
        case "bearer":
            let key = Self.cacheKey(scopes)
            if let cached = tokens[key], cached.expires > .now { return "Bearer \(cached.value)" }
            return "Bearer \(try await fetchToken(challenge, scopes: scopes, client: client))"
        default:
            return nil
        }
    }

    /// Learns from a 401 with `header` (its `WWW-Authenticate`); returns whether a repeat
    /// with the new knowledge can succeed.
    func learn(from header: String?, scopes: [String], failedAuthorization: String?) async throws -> Bool {
        let challenges = AuthChallenge.parse(header ?? "")
        guard
            let chosen = challenges.first(where: { $0.scheme == "bearer" })
                ?? challenges.first(where: { $0.scheme == "basic" })
        else { return false }
        let previous = challenge
        challenge = chosen
        switch chosen.scheme {
        case "basic":
            // The same Basic credentials failing again will fail forever.
            guard let basic = try await basicAuthorization() else { return false }
            return basic != failedAuthorization || previous?.scheme != "basic"
        case "bearer":
            // A token that was refused (expired early, revoked, too narrow) is dropped.
            tokens[Self.cacheKey(scopes)] = nil
            return true
        default:
            return false
        }
    }

    private func basicAuthorization() async throws -> String? {
        guard let credentials = try await loadCredentials() else { return nil }
        return "Basic " + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
    }

    private func loadCredentials() async throws -> RegistryCredentials? {
        if let loadedCredentials { return loadedCredentials }
        let found = try await credentials.credentials(for: host)
        loadedCredentials = .some(found)
        return found
    }

    /// Asks the challenge's token service for `scopes` (plus any the challenge named),
    /// with Basic credentials when there are some, anonymously otherwise.
    private func fetchToken(
        _ challenge: AuthChallenge, scopes: [String], client: RegistryClient
    ) async throws -> String {
        guard let realm = challenge.realm, var components = URLComponents(string: realm),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http"
        else {
            throw RegistryClientError(
                status: 401,
                message: "the registry's token realm is not an http(s) URL: \(challenge.realm ?? "none")",
                isRetryable: false, request: "GET token")
        }
        if scheme == "http", !client.allowsPlainHTTP {
            throw RegistryClientError(
                status: 401, message: "refusing to send credentials to a plain-HTTP token service (\(realm))",
                isRetryable: false, request: "GET \(realm)")
        }
        let credentials = try await loadCredentials()
        var query = components.queryItems ?? []
        if let service = challenge.service { query.append(URLQueryItem(name: "service", value: service)) }
        for scope in Self.union(scopes, challenge.scopes) {
            query.append(URLQueryItem(name: "scope", value: scope))
        }
        if let credentials { query.append(URLQueryItem(name: "account", value: credentials.username)) }
        components.queryItems = query
        // Scope values contain ':' and '/', which URLComponents leaves alone; '+' must be escaped.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(
            of: "+", with: "%2B")
        guard let url = components.url?.absoluteString else {
            throw RegistryClientError(
                status: nil, message: "cannot build the token URL", isRetryable: false,
                request: "GET \(realm)")
        }
        var headers = HTTPHeaders()
        if let credentials {
            headers.add(
                name: "Authorization",
                value: "Basic "
                    + Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString())
        }
        let started = ContinuousClock.now
        let response = try await client.sendUnauthenticated(
            RegistryRequest(.GET, url, scopes: [], expected: [200], headers: headers))
        let body = try await response.body.collect(upTo: 1 << 20)
        struct TokenBody: Decodable {
            var token: String?
            var access_token: String?
            var expires_in: Int?
        }
        guard let decoded = try? JSONDecoder().decode(TokenBody.self, from: Data(body.readableBytesView)),
            let token = decoded.token ?? decoded.access_token, !token.isEmpty
        else {
            throw RegistryClientError(
                status: 200, message: "the token service answered without a token", isRetryable: false,
                request: "GET \(realm)")
        }
        // The spec's default lifetime is 60 s; renew a little early.
        let lifetime = max(decoded.expires_in ?? 60, 10)
        tokens[Self.cacheKey(scopes)] = CachedToken(
            value: token, expires: started.advanced(by: .seconds(Double(lifetime) * 0.9)))
        return token
    }

    private static func cacheKey(_ scopes: [String]) -> String { scopes.sorted().joined(separator: " ") }

    private static func union(_ first: [String], _ second: [String]) -> [String] {
        var seen = Set<String>()
        return (first + second).filter { seen.insert($0).inserted }
    }
}
