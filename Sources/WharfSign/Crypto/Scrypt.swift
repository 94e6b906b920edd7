import CWharfCrypto

/// scrypt (RFC 7914), from OpenSSL's `EVP_PBE_scrypt`.
enum Scrypt {
    /// The `length`-byte key derived from `passphrase` and `salt` with cost `n`, block size
    /// `r` and parallelism `p`.
    static func derive(
        passphrase: [UInt8], salt: [UInt8], n: UInt64, r: UInt64, p: UInt64, length: Int
    ) throws(SignError) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        // The memory scrypt needs is 128·N·r·p bytes plus a little: 128 MiB for cosign's
        // largest N; OpenSSL's default cap (32 MiB) refuses even its smallest.
        let memoryLimit = UInt64(512 << 20)
        let result = passphrase.withUnsafeBytes { pass in
            salt.withUnsafeBytes { saltBytes in
                EVP_PBE_scrypt(
                    pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count,
                    saltBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), saltBytes.count, n, r, p,
                    memoryLimit,
                    &key, length)
            }
        }
        guard result == 1 else { throw .crypto("scrypt failed (N=\(n), r=\(r), p=\(p))") }
        return key
    }
}
