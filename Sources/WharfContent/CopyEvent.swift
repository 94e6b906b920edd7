/// What a copy reports while it runs. The last event of every copy is ``done(_:)``.
public enum CopyEvent: Sendable, Hashable {
    /// The transfer of a descriptor's bytes began.
    case started(Descriptor)
    /// `bytes` of the descriptor's bytes (a running total) have moved.
    case transferred(Descriptor, bytes: Int64)
    /// The target already held the descriptor (and, for a manifest, what it points at), or
    /// the descriptor is a non-distributable layer that is not copied.
    case skipped(Descriptor)
    /// The descriptor is now stored in the target, verified.
    case completed(Descriptor)
    /// The target linked the blob from `origin` (another repository of the same
    /// registry) instead of receiving its bytes.
    case mounted(Descriptor, from: String)
    /// The whole graph has been copied.
    case done(CopySummary)
}

/// The outcome of a copy.
public struct CopySummary: Sendable, Hashable {
    /// The root of the copied graph.
    public var root: Descriptor
    /// How many descriptors were transferred.
    public var transferred: Int
    /// How many descriptors the target already had (or were not to be copied).
    public var skipped: Int
    /// How many bytes were transferred.
    public var bytes: Int64
    /// How many blobs the target mounted from a sibling repository instead.
    public var mounted: Int

    /// Creates a summary.
    public init(root: Descriptor, transferred: Int = 0, skipped: Int = 0, bytes: Int64 = 0, mounted: Int = 0)
    {
        self.root = root
        self.transferred = transferred
        self.skipped = skipped
        self.bytes = bytes
        self.mounted = mounted
    }
}

extension CopyEvent: CustomStringConvertible {
    /// One line per event: `completed sha256:… (application/…, 1234 bytes)`.
    public var description: String {
        switch self {
        case .started(let descriptor): "started \(descriptor)"
        case .transferred(let descriptor, let bytes): "transferred \(bytes) of \(descriptor)"
        case .skipped(let descriptor): "skipped \(descriptor)"
        case .completed(let descriptor): "completed \(descriptor)"
        case .mounted(let descriptor, let origin): "mounted \(descriptor) from \(origin)"
        case .done(let summary): "done \(summary)"
        }
    }
}

extension CopySummary: CustomStringConvertible {
    /// `sha256:… (…): 3 transferred (1234 bytes), 2 skipped, 1 mounted`.
    public var description: String {
        "\(root): \(transferred) transferred (\(bytes) bytes), \(skipped) skipped, \(mounted) mounted"
    }
}
