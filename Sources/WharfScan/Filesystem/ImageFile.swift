public import WharfContent

/// A file in an image's final filesystem, and where it came from.
public struct ImageFile: Sendable, Equatable {
    /// The path, relative to the root (`usr/lib/os-release`).
    public var path: String
    /// What it is.
    public var kind: TarEntry.Kind
    /// Its size in bytes (files only).
    public var size: Int64
    /// Its permission bits.
    public var mode: UInt32
    /// A symlink's or hardlink's target.
    public var linkTarget: String?
    /// The layer that put it there.
    public var layer: LayerOrigin

    /// Creates a record.
    public init(
        path: String, kind: TarEntry.Kind, size: Int64, mode: UInt32, linkTarget: String?, layer: LayerOrigin
    ) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.linkTarget = linkTarget
        self.layer = layer
    }
}

/// Which layer something came from: its digest as stored and the digest of its
/// uncompressed tar (the config's `diff_id`).
public struct LayerOrigin: Sendable, Hashable, Codable {
    /// The layer's position, 0 for the base.
    public var index: Int
    /// The layer blob's digest.
    public var digest: OCIDigest
    /// The uncompressed layer's digest (`rootfs.diff_ids[index]`), when known.
    public var diffID: OCIDigest?

    /// Creates an origin.
    public init(index: Int, digest: OCIDigest, diffID: OCIDigest?) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
    }
}
