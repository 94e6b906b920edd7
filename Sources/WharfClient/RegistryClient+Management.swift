public import Foundation
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Calls an endpoint of a Wharf registry's management API (`/wharf/v1/<path>`, described
    /// by Wharf's `Docs/openapi/management-v1.yaml`) with the client's authentication, and
    /// returns the JSON answer. `post` sends a `POST` (retention runs), else a `GET`;
    /// `scopes` are the token scopes to ask for (the registry-wide `registry:wharf:admin`
    /// by default).
    public func management(
        _ path: String, query: [(String, String)] = [], post: Bool = false,
        scopes: [String] = ["registry:wharf:admin"]
    ) async throws -> Data {
        var components = URLComponents()
        components.path = "/wharf/v1/" + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        let target = components.string ?? components.path
        // A POST here has no body, and running retention twice removes nothing the first
        // run did not: replaying it (after a 401 challenge, or a lost connection) is safe.
        let response = try await send(
            RegistryRequest(post ? .POST : .GET, target, scopes: scopes, expected: [200]))
        return Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
    }
}
