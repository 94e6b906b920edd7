import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One request to a registry, described so that it can be sent again: the body is made
/// anew for each attempt, or the request is marked as not replayable.
struct RegistryRequest: Sendable {
    var method: HTTPMethod
    /// A path (`/v2/...`, with query) or an absolute URL (an upload `Location`).
    var target: String
    var headers: HTTPHeaders = [:]
    /// Makes the body for one attempt; `nil` for no body.
    var body: (@Sendable () -> HTTPClientRequest.Body)?
    /// Whether a failed attempt may be repeated (a streamed body can be read only once).
    var replayable = true
    /// The token scopes the request needs (`repository:team/app:pull`).
    var scopes: [String]
    /// Statuses that count as success; others become errors.
    var expected: Set<Int>

    init(
        _ method: HTTPMethod, _ target: String, scopes: [String], expected: Set<Int>,
        headers: HTTPHeaders = [:],
        body: (@Sendable () -> HTTPClientRequest.Body)? = nil, replayable: Bool = true
    ) {
        self.method = method
        self.target = target
        self.scopes = scopes
        self.expected = expected
        self.headers = headers
        self.body = body
        self.replayable = replayable
    }
}
