/// One entry of a tar archive, its header resolved (pax and GNU extensions applied).
public struct TarEntry: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        /// A regular file (type `0`, or NUL in old archives).
        case file
        /// A directory (type `5`).
        case directory
        /// A symbolic link to ``TarEntry/linkTarget`` (type `2`).
        case symlink
        /// A hard link to an earlier entry named by ``TarEntry/linkTarget`` (type `1`).
        case hardlink
        /// A character device (type `3`).
        case characterDevice
        /// A block device (type `4`).
        case blockDevice
        /// A named pipe (type `6`).
        case fifo
        /// A type flag this reader does not interpret.
        case other(UInt8)
    }

    /// The path as written in the archive (pax `path`, GNU long name or ustar prefix/name).
    public var path: String
    /// What the entry is.
    public var kind: Kind
    /// The content size in bytes (0 for anything but files).
    public var size: Int64
    /// The permission bits.
    public var mode: UInt32
    /// The target of a symlink or hardlink.
    public var linkTarget: String?

    /// Creates an entry.
    public init(path: String, kind: Kind, size: Int64, mode: UInt32, linkTarget: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.linkTarget = linkTarget
    }
}
