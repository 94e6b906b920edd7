import Foundation

/// The JSON inside cosign's encrypted key PEM, as go-securesystemslib's `encrypted` package
/// writes it:
///
/// ```
/// {"kdf":{"name":"scrypt","params":{"N":65536,"r":8,"p":1},"salt":"…"},
///  "cipher":{"name":"nacl/secretbox","nonce":"…"},"ciphertext":"…"}
/// ```
///
/// (one line; base64 with padding). The salt is 32 random bytes, the nonce 24; scrypt
/// derives a 32-byte key; the ciphertext is a secretbox of the plaintext.
enum EncryptedKeyEnvelope {
    /// The scrypt costs cosign's readers accept: go-securesystemslib's legacy, standard and
    /// OWASP parameter sets (r = 8, p = 1).
    static let acceptedN: Set<UInt64> = [32768, 65536, 131072]

    /// Seals `plaintext` under `passphrase`.
    static func seal(_ plaintext: [UInt8], passphrase: [UInt8], scryptN: UInt64) throws(SignError) -> [UInt8]
    {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let nonce = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let key = try Scrypt.derive(passphrase: passphrase, salt: salt, n: scryptN, r: 8, p: 1, length: 32)
        let box = try SecretBox.seal(plaintext, nonce: nonce, key: key)
        // Written by hand so that the keys come in go-securesystemslib's order.
        let json =
            #"{"kdf":{"name":"scrypt","params":{"N":\#(scryptN),"r":8,"p":1},"salt":"\#(base64(salt))"},"#
            + #""cipher":{"name":"nacl/secretbox","nonce":"\#(base64(nonce))"},"ciphertext":"\#(base64(box))"}"#
        return Array(json.utf8)
    }

    /// Opens an envelope with `passphrase`.
    static func open(_ json: [UInt8], passphrase: [UInt8]) throws(SignError) -> [UInt8] {
        struct Envelope: Decodable {
            struct KDF: Decodable {
                struct Parameters: Decodable {
                    var N: UInt64
                    var r: UInt64
                    var p: UInt64
                }
                var name: String
                var params: Parameters
                var salt: String
            }
            struct Cipher: Decodable {
                var name: String
                var nonce: String
            }
            var kdf: KDF
            var cipher: Cipher
            var ciphertext: String
        }
        guard json.count <= 1 << 16 else { throw .malformedKey("the encrypted key is too large") }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(json))
        } catch {
            throw .malformedKey("the encrypted key's JSON does not have cosign's shape")
        }
        guard envelope.kdf.name == "scrypt" else {
            throw .unsupportedParameters("key derivation \"\(envelope.kdf.name)\" (only scrypt)")
        }
        guard envelope.cipher.name == "nacl/secretbox" else {
            throw .unsupportedParameters("cipher \"\(envelope.cipher.name)\" (only nacl/secretbox)")
        }
        let parameters = envelope.kdf.params
        guard acceptedN.contains(parameters.N), parameters.r == 8, parameters.p == 1 else {
            throw .unsupportedParameters(
                "scrypt N=\(parameters.N), r=\(parameters.r), p=\(parameters.p) (cosign uses N of 32768, 65536 or 131072 with r=8, p=1)"
            )
        }
        guard let salt = Data(base64Encoded: envelope.kdf.salt),
            let nonce = Data(base64Encoded: envelope.cipher.nonce),
            let box = Data(base64Encoded: envelope.ciphertext)
        else {
            throw .malformedKey("the salt, nonce or ciphertext is not base64")
        }
        guard nonce.count == 24 else { throw .malformedKey("the nonce must be 24 bytes, not \(nonce.count)") }
        let key = try Scrypt.derive(
            passphrase: passphrase, salt: Array(salt), n: parameters.N, r: 8, p: 1, length: 32)
        return try SecretBox.open(Array(box), nonce: Array(nonce), key: key)
    }

    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
