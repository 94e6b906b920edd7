/// Why a key could not be read or made, or a signature not made.
public enum SignError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The passphrase is wrong, or the encrypted key was changed.
    case wrongPassphraseOrDamaged
    /// The key file is not a key Wharf can read; the reason says what is wrong.
    case malformedKey(String)
    /// The key is of a kind Wharf does not sign or verify with (a curve other than P-256).
    case unsupportedKey(String)
    /// The key derivation or cipher parameters are not ones cosign writes.
    case unsupportedParameters(String)
    /// A cryptographic primitive failed.
    case crypto(String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .wrongPassphraseOrDamaged: "the passphrase is wrong, or the encrypted key is damaged"
        case .malformedKey(let reason): "malformed key: \(reason)"
        case .unsupportedKey(let reason): "unsupported key: \(reason)"
        case .unsupportedParameters(let reason): "unsupported key encryption: \(reason)"
        case .crypto(let reason): "cryptography failed: \(reason)"
        }
    }
}
