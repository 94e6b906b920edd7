/// One challenge of a `WWW-Authenticate` header: a scheme and its parameters.
///
/// `Bearer realm="https://auth.example.com/token",service="registry",scope="repository:a:pull"`
/// parses to scheme `bearer` and three parameters. A header may carry several challenges
/// (`Basic realm="x", Bearer realm="y"`); ``parse(_:)`` returns them all.
public struct AuthChallenge: Sendable, Equatable {
    /// The scheme, lowercased (`basic`, `bearer`).
    public var scheme: String
    /// The parameters, names lowercased.
    public var parameters: [String: String]

    /// Creates a challenge.
    public init(scheme: String, parameters: [String: String]) {
        self.scheme = scheme.lowercased()
        self.parameters = parameters
    }

    /// The token service, for a bearer challenge.
    public var realm: String? { parameters["realm"] }
    /// The service to ask the token service for.
    public var service: String? { parameters["service"] }
    /// The scopes the registry said it needs, split at spaces.
    public var scopes: [String] {
        parameters["scope"].map { $0.split(separator: " ").map(String.init) } ?? []
    }

    /// Parses every challenge of a header value; malformed parts are skipped rather than
    /// trusted.
    public static func parse(_ header: String) -> [AuthChallenge] {
        var scanner = ChallengeScanner(Array(header.utf8))
        var challenges: [AuthChallenge] = []
        var current: AuthChallenge?
        while true {
            scanner.skip(whitespaceAndCommas: true)
            guard let token = scanner.token() else { break }
            scanner.skip(whitespaceAndCommas: false)
            if scanner.peek() == UInt8(ascii: "=") {
                // A parameter of the current challenge.
                scanner.advance()
                scanner.skip(whitespaceAndCommas: false)
                let value = scanner.peek() == UInt8(ascii: "\"") ? scanner.quotedString() : scanner.token()
                if var challenge = current, let value {
                    challenge.parameters[token.lowercased()] = value
                    current = challenge
                }
            } else {
                if let current { challenges.append(current) }
                current = AuthChallenge(scheme: token, parameters: [:])
            }
        }
        if let current { challenges.append(current) }
        return challenges
    }
}

private struct ChallengeScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }
    mutating func advance() { index += 1 }

    mutating func skip(whitespaceAndCommas commas: Bool) {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || (commas && byte == UInt8(ascii: ","))
        {
            advance()
        }
    }

    /// An RFC 9110 token (plus `/` and `:`, which realms and scopes carry unquoted in the wild).
    mutating func token() -> String? {
        let start = index
        while let byte = peek(), !Self.separators.contains(byte) { advance() }
        return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
    }

    mutating func quotedString() -> String? {
        advance()  // opening quote
        var value: [UInt8] = []
        while let byte = peek() {
            advance()
            if byte == UInt8(ascii: "\"") { return String(decoding: value, as: UTF8.self) }
            if byte == UInt8(ascii: "\\"), let escaped = peek() {
                advance()
                value.append(escaped)
            } else {
                value.append(byte)
            }
        }
        return nil  // unterminated
    }

    private static let separators: Set<UInt8> = Set(" \t,=\"".utf8)
}
