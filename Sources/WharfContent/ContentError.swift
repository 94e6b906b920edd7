/// Errors of content stores and of the bytes that move between them.
public enum ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes ended before or ran past the size the descriptor declared.
    case sizeMismatch(expected: Int64, actual: Int64)
    /// The bytes hash to a different digest than the descriptor declared.
    case digestMismatch(expected: OCIDigest, actual: OCIDigest)
    /// The store has no content with this digest; `location` names the store when it can
    /// (`registry.example.com/team/app`, `oci:./layout`, a repository of server storage).
    case notFound(OCIDigest, location: String? = nil)
    /// No descriptor is tagged with this reference; `location` names the store when it can.
    case referenceNotFound(String, location: String? = nil)
    /// The content exceeds a size limit (manifests, configs and other bounded reads).
    case tooLarge(limit: Int64)
    /// The descriptor is unusable (negative size, bad reference name, ...).
    case invalidDescriptor(String)
    /// A file-system call failed (a file-backed store or stream); the error says which,
    /// where, and the system's error number.
    case io(FileIOError)
    /// An index has no image for the platform (nor for a variant it can run).
    case noMatchingPlatform(Platform, available: [Platform])

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .sizeMismatch(let expected, let actual):
            "size mismatch: expected \(expected) bytes, got \(actual)"
        case .digestMismatch(let expected, let actual):
            "digest mismatch: expected \(expected), got \(actual)"
        case .notFound(let digest, let location):
            "content not found: \(digest)" + (location.map { " in \(UntrustedText.quoted($0))" } ?? "")
        case .referenceNotFound(let reference, let location):
            "reference not found: \(UntrustedText.quoted(reference))"
                + (location.map { " in \(UntrustedText.quoted($0))" } ?? "")
        case .tooLarge(let limit):
            "content exceeds the limit of \(limit) bytes"
        case .invalidDescriptor(let reason):
            "invalid descriptor: \(reason)"
        case .io(let failure):
            "I/O error: \(failure)"
        case .noMatchingPlatform(let platform, let available):
            "no image for platform \(platform) (available: "
                + (available.isEmpty ? "none" : available.map(\.description).joined(separator: ", ")) + ")"
        }
    }
}
