import Foundation

/// The credentials of an `Authorization` header.
public enum AuthorizationHeader: Sendable, Equatable {
    /// HTTP Basic.
    case basic(user: String, password: String)
    /// A bearer token.
    case bearer(String)
    /// A scheme or encoding this registry does not accept.
    case unusable

    /// Parses a header value; `nil` when there is none.
    public init?(_ value: String?) {
        guard let value else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else {
            self = .unusable
            return
        }
        let credentials = parts[1].trimmingCharacters(in: .whitespaces)
        switch parts[0].lowercased() {
        case "basic":
            guard let data = Data(base64Encoded: credentials), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else {
                self = .unusable
                return
            }
            self = .basic(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        case "bearer":
            self = credentials.isEmpty ? .unusable : .bearer(credentials)
        default:
            self = .unusable
        }
    }
}
