import Foundation

/// The token service's answer, in the form of Docker's token specification: both `token`
/// and `access_token` (OAuth 2 clients read the latter), lifetime and issue time.
struct TokenResponse: Encodable {
    var token: String
    var accessToken: String
    var expiresIn: Int
    var issuedAt: String

    enum CodingKeys: String, CodingKey {
        case token
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case issuedAt = "issued_at"
    }

    init(_ issued: RegistryToken) {
        token = issued.token
        accessToken = issued.token
        expiresIn = issued.expiresIn
        issuedAt = issued.issuedAt.formatted(.iso8601)
    }
}
