public import WharfContent

/// Why a string is not a valid image reference, in words a user can act on.
public enum ImageReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reference is empty.
    case empty
    /// The reference is longer than any valid reference can be.
    case tooLong(length: Int, limit: Int)
    /// The registry part (host and optional port) is invalid.
    case invalidRegistry(String, reason: String)
    /// The repository path is invalid.
    case invalidRepository(String, reason: String)
    /// The tag is invalid.
    case invalidTag(String, reason: String)
    /// The digest is invalid.
    case invalidDigest(DigestError)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .empty:
            "invalid reference: empty"
        case .tooLong(let length, let limit):
            "invalid reference: \(length) characters, more than the limit of \(limit)"
        case .invalidRegistry(let registry, let reason):
            "invalid registry \(UntrustedText.quoted(registry)): \(reason)"
        case .invalidRepository(let repository, let reason):
            "invalid repository name \(UntrustedText.quoted(repository)): \(reason)"
        case .invalidTag(let tag, let reason):
            "invalid tag \(UntrustedText.quoted(tag)): \(reason)"
        case .invalidDigest(let error):
            "invalid reference: \(error)"
        }
    }
}
