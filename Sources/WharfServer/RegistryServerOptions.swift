/// How the registry API behaves beyond what storage decides.
public struct RegistryServerOptions: Sendable {
    /// Advertised as `OCI-Chunk-Min-Length` when set: the smallest chunk, except the last,
    /// a chunked upload may send.
    public var minimumChunkLength: Int?
    /// Whether `POST ...?mount=<digest>` without `from` may link any blob the storage holds
    /// (OCI 1.1 lets a registry find it itself). Off means such a mount starts an upload.
    public var allowsMountWithoutSource: Bool

    /// Creates options.
    public init(minimumChunkLength: Int? = nil, allowsMountWithoutSource: Bool = true) {
        self.minimumChunkLength = minimumChunkLength
        self.allowsMountWithoutSource = allowsMountWithoutSource
    }
}
