/// A content-addressing algorithm that Wharf can compute and verify.
///
/// The image-spec registers `sha256` and `sha512`; anything else that is grammatically a
/// valid algorithm name is rejected with ``DigestError/unsupportedAlgorithm(_:)`` rather
/// than being carried around unverifiable.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable, Codable {
    /// SHA-256, the default algorithm of every registry.
    case sha256
    /// SHA-512, allowed by the image-spec and distribution-spec v1.1.
    case sha512

    /// The canonical algorithm for new content.
    public static let canonical: DigestAlgorithm = .sha256

    /// The length of the lowercase hex encoding of a digest of this algorithm.
    public var encodedLength: Int {
        switch self {
        case .sha256: 64
        case .sha512: 128
        }
    }

    /// The length in bytes of a raw digest of this algorithm.
    public var byteCount: Int { encodedLength / 2 }
}
