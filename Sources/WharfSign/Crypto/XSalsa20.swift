/// The XSalsa20 stream cipher (D. J. Bernstein, "Extending the Salsa20 nonce"), which
/// neither OpenSSL nor swift-crypto offers: HSalsa20 turns a 32-byte key and the first 16
/// bytes of a 24-byte nonce into a subkey, and Salsa20/20 with that subkey and the last 8
/// nonce bytes makes the keystream. Checked against the paper's test vectors and pynacl.
enum XSalsa20 {
    /// `"expand 32-byte k"` as four little-endian words.
    private static let sigma: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]

    /// XORs `bytes` with the keystream of `key` and `nonce`, starting `skipping` bytes into
    /// the stream (secretbox spends the first 32 bytes on the Poly1305 key).
    static func xor(_ bytes: [UInt8], key: [UInt8], nonce: [UInt8], skipping: Int = 0) -> [UInt8] {
        precondition(key.count == 32 && nonce.count == 24, "XSalsa20 takes a 32-byte key and a 24-byte nonce")
        let subkey = hsalsa20(key: key, nonce: Array(nonce[0..<16]))
        var output = bytes
        var counter = UInt64(skipping / 64)
        var position = skipping % 64
        var index = 0
        var block = salsa20Block(key: subkey, nonce: Array(nonce[16..<24]), counter: counter)
        while index < output.count {
            if position == 64 {
                counter += 1
                block = salsa20Block(key: subkey, nonce: Array(nonce[16..<24]), counter: counter)
                position = 0
            }
            output[index] ^= block[position]
            index += 1
            position += 1
        }
        return output
    }

    /// The first `count` bytes of the keystream.
    static func keystream(count: Int, key: [UInt8], nonce: [UInt8]) -> [UInt8] {
        xor([UInt8](repeating: 0, count: count), key: key, nonce: nonce)
    }

    /// HSalsa20: the Salsa20 core without the final addition, keeping words 0, 5, 10, 15,
    /// 6, 7, 8, 9.
    static func hsalsa20(key: [UInt8], nonce: [UInt8]) -> [UInt8] {
        let k = words(key)
        let n = words(nonce)
        var x: [UInt32] = [
            sigma[0], k[0], k[1], k[2], k[3], sigma[1], n[0], n[1], n[2], n[3], sigma[2], k[4], k[5], k[6],
            k[7],
            sigma[3],
        ]
        doubleRounds(&x)
        return bytes([x[0], x[5], x[10], x[15], x[6], x[7], x[8], x[9]])
    }

    /// One 64-byte Salsa20/20 block.
    static func salsa20Block(key: [UInt8], nonce: [UInt8], counter: UInt64) -> [UInt8] {
        let k = words(key)
        let n = words(nonce)
        let input: [UInt32] = [
            sigma[0], k[0], k[1], k[2], k[3], sigma[1], n[0], n[1], UInt32(truncatingIfNeeded: counter),
            UInt32(truncatingIfNeeded: counter >> 32), sigma[2], k[4], k[5], k[6], k[7], sigma[3],
        ]
        var x = input
        doubleRounds(&x)
        for i in 0..<16 { x[i] &+= input[i] }
        return bytes(x)
    }

    /// Ten double rounds (column round, then row round).
    private static func doubleRounds(_ x: inout [UInt32]) {
        func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            x[b] ^= (x[a] &+ x[d]).rotatedLeft(7)
            x[c] ^= (x[b] &+ x[a]).rotatedLeft(9)
            x[d] ^= (x[c] &+ x[b]).rotatedLeft(13)
            x[a] ^= (x[d] &+ x[c]).rotatedLeft(18)
        }
        for _ in 0..<10 {
            quarter(0, 4, 8, 12)
            quarter(5, 9, 13, 1)
            quarter(10, 14, 2, 6)
            quarter(15, 3, 7, 11)
            quarter(0, 1, 2, 3)
            quarter(5, 6, 7, 4)
            quarter(10, 11, 8, 9)
            quarter(15, 12, 13, 14)
        }
    }

    private static func words(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count, by: 4).map { i in
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3])
                << 24
        }
    }

    private static func bytes(_ words: [UInt32]) -> [UInt8] {
        words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }
}

extension UInt32 {
    fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 {
        (self << count) | (self >> (32 - count))
    }
}
