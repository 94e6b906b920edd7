/// Why a string is not an acceptable ``OCIDigest``.
public enum DigestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The string does not follow `algorithm ":" encoded` of the image-spec grammar.
    case malformed(String, reason: String)
    /// The algorithm is well formed but not one Wharf can verify.
    case unsupportedAlgorithm(String)
    /// The encoded part is not lowercase hex of the algorithm's exact length.
    case invalidEncoded(algorithm: DigestAlgorithm, reason: String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .malformed(let input, let reason):
            "malformed digest \(UntrustedText.quoted(input)): \(reason)"
        case .unsupportedAlgorithm(let name):
            "unsupported digest algorithm \(UntrustedText.quoted(name)) (supported: sha256, sha512)"
        case .invalidEncoded(let algorithm, let reason):
            "invalid \(algorithm.rawValue) digest: \(reason)"
        }
    }
}
