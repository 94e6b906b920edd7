/// Why a signature or attestation could not be made, found, or believed.
public enum SignatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The signed payload is not one Wharf (or containers/image) accepts.
    case malformedPayload(String)
    /// A signature or attestation manifest does not have the shape cosign writes.
    case malformedSignatureManifest(String)
    /// A DSSE envelope is not one.
    case malformedEnvelope(String)
    /// A DSSE envelope carries something other than an in-toto statement.
    case wrongPayloadType(String)
    /// The signature bytes are not valid for any of the keys.
    case badSignature
    /// The signature is valid but for another manifest.
    case digestMismatch(signed: String, expected: String)
    /// The signature is valid but names another identity.
    case identityMismatch(signed: String, expected: String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .malformedPayload(let reason): "malformed signature payload: \(reason)"
        case .malformedSignatureManifest(let reason): "malformed signature manifest: \(reason)"
        case .malformedEnvelope(let reason): "malformed DSSE envelope: \(reason)"
        case .wrongPayloadType(let type): "the envelope carries \(type), not an in-toto statement"
        case .badSignature: "the signature does not verify with the key"
        case .digestMismatch(let signed, let expected): "the signature is for \(signed), not \(expected)"
        case .identityMismatch(let signed, let expected): "the signature names \(signed), not \(expected)"
        }
    }
}
