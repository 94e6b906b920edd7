import CWharfCrypto

/// The Poly1305 one-time authenticator, from OpenSSL's `EVP_MAC` (OpenSSL 3).
enum Poly1305 {
    /// The 16-byte tag of `message` under the one-time `key` (32 bytes).
    static func tag(_ message: [UInt8], key: [UInt8]) throws(SignError) -> [UInt8] {
        guard key.count == 32 else { throw .crypto("Poly1305 needs a 32-byte key") }
        guard let mac = EVP_MAC_fetch(nil, "POLY1305", nil) else {
            throw .crypto("this OpenSSL has no Poly1305 (OpenSSL 3 is required)")
        }
        defer { EVP_MAC_free(mac) }
        guard let context = EVP_MAC_CTX_new(mac) else { throw .crypto("cannot create a Poly1305 context") }
        defer { EVP_MAC_CTX_free(context) }
        var tag = [UInt8](repeating: 0, count: 16)
        var length = 0
        let succeeded = key.withUnsafeBufferPointer { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                EVP_MAC_init(context, keyBytes.baseAddress, keyBytes.count, nil) == 1
                    && EVP_MAC_update(context, messageBytes.baseAddress, messageBytes.count) == 1
                    && EVP_MAC_final(context, &tag, &length, tag.count) == 1
            }
        }
        guard succeeded, length == 16 else { throw .crypto("Poly1305 failed") }
        return tag
    }
}
