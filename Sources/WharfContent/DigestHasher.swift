internal import CWharfCrypto
public import NIOCore

/// A streaming hash over OpenSSL's EVP interface.
///
/// EVP dispatches to the fastest implementation the CPU has (SHA extensions, AVX2), so
/// hashing here runs at the speed `openssl speed -evp sha256` reports. Feed bytes with
/// ``update(_:)-(ByteBuffer)`` in any chunking, then call ``finalize()`` once.
///
/// A hasher owns native state and is used by one task at a time, so it is not `Sendable`.
public final class DigestHasher {
    /// The algorithm being computed.
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer
    private var finalized = false

    /// Creates a hasher for `algorithm`.
    public init(algorithm: DigestAlgorithm = .canonical) {
        self.algorithm = algorithm
        // EVP_MD_CTX_new fails only when the process is out of memory, where Swift itself
        // would already have trapped; there is no recoverable path to offer the caller.
        guard let context = EVP_MD_CTX_new() else {
            preconditionFailure("EVP_MD_CTX_new failed: out of memory")
        }
        self.context = context
        let method: OpaquePointer? =
            switch algorithm {
            case .sha256: EVP_sha256()
            case .sha512: EVP_sha512()
            }
        let status = EVP_DigestInit_ex(context, method, nil)
        precondition(status == 1, "EVP_DigestInit_ex failed for a built-in digest")
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds the readable bytes of `buffer` to the hash.
    public func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { update(UnsafeRawBufferPointer($0)) }
    }

    /// Adds raw bytes to the hash.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finalized, "DigestHasher.update called after finalize")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds a collection of bytes to the hash.
    public func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// Completes the hash and returns the digest. A hasher can be finalized only once.
    public func finalize() -> OCIDigest {
        precondition(!finalized, "DigestHasher.finalize called twice")
        finalized = true
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        output.withUnsafeMutableBufferPointer { pointer in
            _ = EVP_DigestFinal_ex(context, pointer.baseAddress, &length)
        }
        return OCIDigest(algorithm: algorithm, rawBytes: output.prefix(Int(length)))
    }

    /// The digest of a complete byte collection.
    public static func digest(
        of bytes: some Sequence<UInt8>, algorithm: DigestAlgorithm = .canonical
    )
        -> OCIDigest
    {
        let hasher = DigestHasher(algorithm: algorithm)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// The digest of the readable bytes of a buffer.
    public static func digest(of buffer: ByteBuffer, algorithm: DigestAlgorithm = .canonical) -> OCIDigest {
        let hasher = DigestHasher(algorithm: algorithm)
        hasher.update(buffer)
        return hasher.finalize()
    }
}
