import JWTKit

/// The claims of a Docker registry bearer token, as Distribution's token authentication
/// reads them: numeric dates are whole seconds (Go decodes them into integers) and the
/// audience may be a string or a list.
struct RegistryTokenClaims: JWTPayload, Equatable {
    struct Entry: Codable, Equatable {
        var type: String
        var name: String
        var actions: [String]
    }

    var iss: String
    var sub: String
    var aud: [String]
    var exp: Int64
    var nbf: Int64?
    var iat: Int64?
    var jti: String?
    var access: [Entry]?

    init(
        iss: String, sub: String, aud: [String], exp: Int64, nbf: Int64?, iat: Int64?, jti: String?,
        access: [Entry]?
    ) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.exp = exp
        self.nbf = nbf
        self.iat = iat
        self.jti = jti
        self.access = access
    }

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf, iat, jti, access
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decodeIfPresent(String.self, forKey: .iss) ?? ""
        sub = try container.decodeIfPresent(String.self, forKey: .sub) ?? ""
        if let single = try? container.decode(String.self, forKey: .aud) {
            aud = [single]
        } else {
            aud = try container.decodeIfPresent([String].self, forKey: .aud) ?? []
        }
        exp = try Self.decodeDate(container, .exp) ?? 0
        nbf = try Self.decodeDate(container, .nbf)
        iat = try Self.decodeDate(container, .iat)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
        access = try container.decodeIfPresent([Entry].self, forKey: .access)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(iss, forKey: .iss)
        try container.encode(sub, forKey: .sub)
        // A single audience as a string, the form every Distribution version accepts.
        if aud.count == 1 {
            try container.encode(aud[0], forKey: .aud)
        } else {
            try container.encode(aud, forKey: .aud)
        }
        try container.encode(exp, forKey: .exp)
        try container.encodeIfPresent(nbf, forKey: .nbf)
        try container.encodeIfPresent(iat, forKey: .iat)
        try container.encodeIfPresent(jti, forKey: .jti)
        try container.encode(access ?? [], forKey: .access)
    }

    /// Other issuers may write fractional seconds; whole seconds are enough to compare.
    private static func decodeDate(
        _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
    ) throws -> Int64? {
        guard let value = try container.decodeIfPresent(Double.self, forKey: key) else { return nil }
        guard value.isFinite, abs(value) < 1e15 else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a date")
        }
        return Int64(value)
    }

    /// Time checks need the verifier's leeway and clock; ``RegistryTokenVerifier`` does them.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
