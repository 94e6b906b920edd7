import Crypto

/// The key identifier Docker's libtrust derives from a public key, which Distribution uses
/// to find the key that signed a token (`kid` header) among its trusted certificates:
/// the first 240 bits of SHA-256 over the DER SubjectPublicKeyInfo, in base32, in groups
/// of four characters joined by colons.
enum LibtrustKeyID {
    static func make(subjectPublicKeyInfo der: some Sequence<UInt8>) -> String {
        let digest = Array(SHA256.hash(data: Array(der)).prefix(30))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var encoded: [Character] = []
        var buffer: UInt32 = 0
        var bits = 0
        for byte in digest {
            buffer = (buffer << 8) | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                encoded.append(alphabet[Int((buffer >> UInt32(bits)) & 31)])
            }
        }
        // 240 bits are exactly 48 characters: no padding, no leftover bits.
        return stride(from: 0, to: encoded.count, by: 4).map {
            String(encoded[$0..<min($0 + 4, encoded.count)])
        }
        .joined(separator: ":")
    }
}
