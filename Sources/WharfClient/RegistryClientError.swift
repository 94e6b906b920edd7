public import WharfContent

/// A registry request that failed, with what a caller needs to decide what to do next.
public struct RegistryClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status; `nil` when no response arrived (connection refused, reset, timeout).
    public var status: Int?
    /// The distribution-spec error codes of the response body (`BLOB_UNKNOWN`, `DENIED`, ...).
    public var codes: [OCIErrorCode]
    /// What went wrong, readable.
    public var message: String
    /// Whether sending the request again could succeed (network errors, 408, 429, 5xx).
    public var isRetryable: Bool
    /// How long the registry asked the client to wait (`Retry-After`).
    public var retryAfter: Duration?
    /// The request, as `METHOD URL`.
    public var request: String

    /// Creates an error.
    public init(
        status: Int?, codes: [OCIErrorCode] = [], message: String, isRetryable: Bool,
        retryAfter: Duration? = nil,
        request: String
    ) {
        self.status = status
        self.codes = codes
        self.message = message
        self.isRetryable = isRetryable
        self.retryAfter = retryAfter
        self.request = request
    }

    /// `METHOD URL: status CODE: message`.
    public var description: String {
        var text = request
        if let status { text += ": \(status)" }
        if !codes.isEmpty { text += " \(codes.map(\.rawValue).joined(separator: ","))" }
        return text + ": " + message
    }

    /// Whether the status is one a retry can help with.
    static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || (500...599).contains(status) && status != 501
    }
}
