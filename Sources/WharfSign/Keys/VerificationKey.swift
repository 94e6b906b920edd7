import Crypto
import Foundation

/// A public key that verifies signatures: ECDSA on P-256 with SHA-256, as cosign's keys
/// are, read and written as PKIX PEM (`PUBLIC KEY`).
public struct VerificationKey: Sendable, Hashable, CustomStringConvertible {
    let key: P256.Signing.PublicKey

    init(_ key: P256.Signing.PublicKey) { self.key = key }

    /// Reads a `PUBLIC KEY` PEM block; throws ``SignError/unsupportedKey(_:)`` for a key of
    /// another curve and ``SignError/malformedKey(_:)`` for anything else that is not one.
    public init(pem: String) throws(SignError) {
        let block = try PEMBlock(parsing: pem)
        guard block.type == "PUBLIC KEY" else {
            throw .malformedKey("expected a PUBLIC KEY block, found \"\(block.type)\"")
        }
        do {
            key = try P256.Signing.PublicKey(derRepresentation: block.bytes)
        } catch {
            if (try? P384.Signing.PublicKey(derRepresentation: block.bytes)) != nil {
                throw .unsupportedKey("a P-384 key (Wharf signs and verifies with P-256)")
            }
            if (try? P521.Signing.PublicKey(derRepresentation: block.bytes)) != nil {
                throw .unsupportedKey("a P-521 key (Wharf signs and verifies with P-256)")
            }
            throw .malformedKey("not an ECDSA P-256 public key")
        }
    }

    /// The PKIX PEM (`PUBLIC KEY`), as cosign writes `cosign.pub`.
    public var pem: String { PEMBlock(type: "PUBLIC KEY", bytes: Array(key.derRepresentation)).text }

    /// Whether `signature` (ASN.1 DER, as cosign writes it) signs `payload`. Malformed
    /// signatures are simply not valid.
    public func isValidSignature(_ signature: [UInt8], for payload: [UInt8]) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else {
            return false
        }
        return key.isValidSignature(parsed, for: payload)
    }

    /// Keys are equal when their points are.
    public static func == (lhs: VerificationKey, rhs: VerificationKey) -> Bool {
        lhs.key.derRepresentation == rhs.key.derRepresentation
    }

    /// Hashes the key's encoding.
    public func hash(into hasher: inout Hasher) { hasher.combine(key.derRepresentation) }

    /// `ecdsa-p256:` and the SHA-256 of the key's PKIX encoding, a short stable name for
    /// logs and results.
    public var description: String {
        "ecdsa-p256:"
            + SHA256.hash(data: key.derRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
