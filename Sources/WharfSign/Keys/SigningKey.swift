import Crypto
import Foundation

/// A private key that signs: ECDSA on P-256 with SHA-256, as cosign's key pairs are.
///
/// Kept on disk in cosign's encrypted PEM (``encryptedPEM(passphrase:format:)``): the
/// PKCS#8 DER of the key, sealed with NaCl's secretbox under a key scrypt derives from a
/// passphrase.
public struct SigningKey: Sendable {
    let key: P256.Signing.PrivateKey

    /// A new random key.
    public static func generate() -> SigningKey {
        SigningKey(key: P256.Signing.PrivateKey())
    }

    /// Reads a key from its PKCS#8 DER; throws ``SignError/unsupportedKey(_:)`` for a key of
    /// another curve.
    public init(pkcs8DER bytes: [UInt8]) throws(SignError) {
        do {
            key = try P256.Signing.PrivateKey(derRepresentation: bytes)
        } catch {
            if (try? P384.Signing.PrivateKey(derRepresentation: bytes)) != nil {
                throw .unsupportedKey("a P-384 key (Wharf signs and verifies with P-256)")
            }
            if (try? P521.Signing.PrivateKey(derRepresentation: bytes)) != nil {
                throw .unsupportedKey("a P-521 key (Wharf signs and verifies with P-256)")
            }
            throw .malformedKey("not an ECDSA P-256 private key in PKCS#8")
        }
    }

    private init(key: P256.Signing.PrivateKey) { self.key = key }

    /// The key's PKCS#8 DER.
    public var pkcs8DER: [UInt8] { Array(key.derRepresentation) }

    /// The public half.
    public var verificationKey: VerificationKey { VerificationKey(key.publicKey) }

    /// An ASN.1 DER ECDSA signature over the SHA-256 of `payload`, as cosign makes them.
    public func signature(for payload: [UInt8]) throws(SignError) -> [UInt8] {
        do {
            return Array(try key.signature(for: payload).derRepresentation)
        } catch {
            throw .crypto("ECDSA signing failed")
        }
    }

    /// Reads cosign's encrypted PEM (`ENCRYPTED SIGSTORE PRIVATE KEY` or `ENCRYPTED COSIGN
    /// PRIVATE KEY`) with `passphrase`.
    public init(encryptedPEM text: String, passphrase: [UInt8]) throws(SignError) {
        let block = try PEMBlock(parsing: text)
        guard EncryptedKeyFormat(pemType: block.type) != nil else {
            throw .malformedKey(
                "expected an encrypted cosign or sigstore private key, found \"\(block.type)\"")
        }
        try self.init(pkcs8DER: try EncryptedKeyEnvelope.open(block.bytes, passphrase: passphrase))
    }

    /// The key in cosign's encrypted PEM, sealed with `passphrase` (which may be empty, as
    /// cosign allows).
    public func encryptedPEM(
        passphrase: [UInt8], format: EncryptedKeyFormat = .sigstore
    ) throws(SignError)
        -> String
    {
        let body = try EncryptedKeyEnvelope.seal(pkcs8DER, passphrase: passphrase, scryptN: format.scryptN)
        return PEMBlock(type: format.pemType, bytes: body).text
    }
}

/// Which of cosign's encrypted-key forms to write.
public enum EncryptedKeyFormat: Sendable, Hashable, CaseIterable {
    /// `ENCRYPTED SIGSTORE PRIVATE KEY` with scrypt N = 65536: what cosign 2.2 and later
    /// write.
    case sigstore
    /// `ENCRYPTED COSIGN PRIVATE KEY` with scrypt N = 32768: what cosign wrote before, and
    /// the only form containers/image before 5.25 reads (skopeo and podman of Debian 12).
    case cosignLegacy

    /// The PEM type.
    public var pemType: String {
        switch self {
        case .sigstore: "ENCRYPTED SIGSTORE PRIVATE KEY"
        case .cosignLegacy: "ENCRYPTED COSIGN PRIVATE KEY"
        }
    }

    var scryptN: UInt64 {
        switch self {
        case .sigstore: 65536
        case .cosignLegacy: 32768
        }
    }

    init?(pemType: String) {
        guard let format = Self.allCases.first(where: { $0.pemType == pemType }) else { return nil }
        self = format
    }
}
