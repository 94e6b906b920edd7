import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfServer

/// The built-in token service: `GET /token?service=&scope=...`.
struct TokenService {
    let authentication: TokenAuthentication
    let issuer: RegistryTokenIssuer
    let policy: AccessPolicy

    /// Authenticates Basic credentials (none means anonymous), grants the part of each
    /// requested scope the policy allows, and signs a token listing exactly that.
    func issue(_ request: Request) async throws -> Response {
        let token = authentication
        guard request.method == .get else {
            // Clients that try the OAuth 2 POST form fall back to GET on 405.
            throw RegistryHTTPError.unsupported("the token service answers GET")
        }
        let query = request.uri.queryParameters
        if let service = query.get("service"), service != issuer.service {
            throw RegistryHTTPError(
                .badRequest, code: .unsupported,
                message: "this token service issues tokens for \"\(issuer.service)\"")
        }
        var user: String?
        switch AuthorizationHeader(request.headers[.authorization]) {
        case nil:
            user = nil
        case .basic(let name, let password):
            guard let users = token.users, await users.verify(user: name, password: password) else {
                throw RegistryHTTPError.unauthorized(
                    challenge: "Basic realm=\(RegistryHTTPError.quotedString(issuer.service))",
                    message: "invalid username or password")
            }
            user = name
        case .bearer, .unusable:
            throw RegistryHTTPError.unauthorized(
                challenge: "Basic realm=\(RegistryHTTPError.quotedString(issuer.service))",
                message: "basic credentials required")
        }
        var granted: [AccessScope] = []
        for requested in query.getAll("scope").flatMap({ AccessScope.parseList($0) }) {
            guard let scope = policy.grant(requested, to: user) else { continue }
            if let index = granted.firstIndex(where: { $0.type == scope.type && $0.name == scope.name }) {
                let merged = Set(granted[index].actions).union(scope.actions)
                granted[index].actions =
                    scope.type == "repository" ? RegistryAction.parse(merged).sorted().map(\.rawValue) : ["*"]
            } else {
                granted.append(scope)
            }
        }
        let issued = try await issuer.issue(subject: user, access: granted)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: try encoder.encode(TokenResponse(issued)))
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .contentLength: String(body.readableBytes),
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: body))
    }
}
