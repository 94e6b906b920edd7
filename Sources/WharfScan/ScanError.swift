/// Why an image could not be read or scanned.
public enum ScanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The layer uses a compression this version cannot read (zstd, for now).
    case unsupportedCompression(String)
    /// The archive is not a valid tar or gzip stream.
    case corruptArchive(String)
    /// The archive ends in the middle of an entry or a header.
    case truncated(String)
    /// A limit that guards against decompression bombs was reached.
    case limitExceeded(String)
    /// A metadata file could not be parsed.
    case malformedMetadata(path: String, reason: String)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .unsupportedCompression(let what): "unsupported compression: \(what)"
        case .corruptArchive(let reason): "corrupt archive: \(reason)"
        case .truncated(let reason): "truncated archive: \(reason)"
        case .limitExceeded(let reason): "limit exceeded: \(reason)"
        case .malformedMetadata(let path, let reason): "malformed \(path): \(reason)"
        }
    }
}
