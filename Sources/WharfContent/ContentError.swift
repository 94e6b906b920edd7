/// Errors of content stores and of the bytes that move between them.
public enum ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes ended before or ran past the size the descriptor declared.
    case sizeMismatch(expected: Int64, actual: Int64)
    /// The bytes hash to a different digest than the descriptor declared.
    case digestMismatch(expected: Digest, actual: Digest)
    /// The store has no content with this digest.
    case notFound(Digest)
    /// No descriptor is tagged with this reference.
    case referenceNotFound(String)
    /// The content exceeds a size limit (manifests, configs and other bounded reads).
    case tooLarge(limit: Int64)
    /// The descriptor is unusable (negative size, bad reference name, ...).
    case invalidDescriptor(String)
    /// An I/O operation failed; the message names the path and the system error.
    case io(String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .sizeMismatch(let expected, let actual):
            "size mismatch: expected \(expected) bytes, got \(actual)"
        case .digestMismatch(let expected, let actual):
            "digest mismatch: expected \(expected), got \(actual)"
        case .notFound(let digest):
            "content not found: \(digest)"
        case .referenceNotFound(let reference):
            "reference not found: \(UntrustedText.quoted(reference))"
        case .tooLarge(let limit):
            "content exceeds the limit of \(limit) bytes"
        case .invalidDescriptor(let reason):
            "invalid descriptor: \(reason)"
        case .io(let message):
            "I/O error: \(message)"
        }
    }
}
