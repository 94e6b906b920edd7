/// NaCl's `crypto_secretbox` (XSalsa20-Poly1305), as cosign's encrypted keys use it
/// through go-securesystemslib: the box is the 16-byte Poly1305 tag followed by the
/// XSalsa20 ciphertext; the Poly1305 key is the first 32 bytes of the keystream.
enum SecretBox {
    /// Seals `plaintext` under `key` (32 bytes) and `nonce` (24 bytes).
    static func seal(_ plaintext: [UInt8], nonce: [UInt8], key: [UInt8]) throws(SignError) -> [UInt8] {
        try checkSizes(nonce: nonce, key: key)
        let ciphertext = XSalsa20.xor(plaintext, key: key, nonce: nonce, skipping: 32)
        let tag = try Poly1305.tag(ciphertext, key: XSalsa20.keystream(count: 32, key: key, nonce: nonce))
        return tag + ciphertext
    }

    /// Opens a box, or throws ``SignError/wrongPassphraseOrDamaged`` when its tag does not
    /// match (a wrong key, or changed bytes).
    static func open(_ box: [UInt8], nonce: [UInt8], key: [UInt8]) throws(SignError) -> [UInt8] {
        try checkSizes(nonce: nonce, key: key)
        guard box.count >= 16 else { throw .wrongPassphraseOrDamaged }
        let ciphertext = Array(box[16...])
        let expected = try Poly1305.tag(
            ciphertext, key: XSalsa20.keystream(count: 32, key: key, nonce: nonce))
        // Constant time: the comparison does not stop at the first differing byte.
        guard zip(expected, box[0..<16]).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw .wrongPassphraseOrDamaged
        }
        return XSalsa20.xor(ciphertext, key: key, nonce: nonce, skipping: 32)
    }

    private static func checkSizes(nonce: [UInt8], key: [UInt8]) throws(SignError) {
        guard nonce.count == 24 else {
            throw .malformedKey("the secretbox nonce must be 24 bytes, not \(nonce.count)")
        }
        guard key.count == 32 else { throw .crypto("the secretbox key must be 32 bytes") }
    }
}
