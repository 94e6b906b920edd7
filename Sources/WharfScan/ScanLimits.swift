/// Bounds that keep a hostile image from exhausting memory or disk while it is read.
public struct ScanLimits: Sendable {
    /// The most bytes all layers of an image may inflate to.
    public var totalUncompressedBytes: Int64
    /// The largest metadata file (a package database, a `package.json`) read into memory.
    public var metadataFileBytes: Int
    /// The largest image configuration read.
    public var configurationBytes: Int

    /// Creates limits.
    public init(
        totalUncompressedBytes: Int64 = 32 << 30, metadataFileBytes: Int = 64 << 20,
        configurationBytes: Int = 64 << 20
    ) {
        self.totalUncompressedBytes = totalUncompressedBytes
        self.metadataFileBytes = metadataFileBytes
        self.configurationBytes = configurationBytes
    }
}
