public import WharfImage

/// Finds packages of one kind in an image's filesystem: an ecosystem is added by writing a
/// cataloger, not by editing the scanner (syft's `pkg.Cataloger`, in Swift).
///
/// Layers stream past once and only the files some cataloger asked for are kept, so a
/// cataloger says up front which paths it reads (``wants(_:)``), and whether it needs the
/// build information of executables (``readsGoBuildInfo``); after the layers are read, the
/// scanner calls ``packages(in:)`` with the merged filesystem.
///
/// ```swift
/// struct CargoAuditableCataloger: Cataloger {
///     var name: String { "cargo-lock" }
///     func wants(_ path: String) -> Bool { path.hasSuffix("/Cargo.lock") }
///     func packages(in context: CatalogContext) throws -> [SoftwarePackage] { ... }
/// }
/// let scanner = ImageScanner(advisories: database, catalogers: ImageScanner.defaultCatalogers + [CargoAuditableCataloger()])
/// ```
public protocol Cataloger: Sendable {
    /// A short name for logs (`dpkg`, `python`).
    var name: String { get }

    /// Whether the scan must keep the content of the file at `path` (relative to the image
    /// root, without a leading slash) for this cataloger. Kept files are bounded by
    /// ``ScanLimits/metadataFileBytes``.
    func wants(_ path: String) -> Bool

    /// Whether executables are read for Go build information
    /// (``LayeredFilesystem/goBuildInfo``), which costs a look at every executable.
    var readsGoBuildInfo: Bool { get }

    /// The packages this cataloger finds in the image.
    func packages(in context: CatalogContext) throws -> [SoftwarePackage]
}

extension Cataloger {
    /// Catalogers read no file unless they say so.
    public func wants(_ path: String) -> Bool { false }

    /// Catalogers need no Go build information unless they say so.
    public var readsGoBuildInfo: Bool { false }
}

/// What a cataloger is given: the image's merged filesystem, its operating system when
/// one was detected, and its configuration.
public struct CatalogContext: Sendable {
    /// The files of every layer, merged, with the content of the files catalogers asked for.
    public var filesystem: LayeredFilesystem
    /// The operating system (`/etc/os-release`), when the image has one.
    public var os: OSRelease?
    /// The image's configuration, when it has one.
    public var configuration: ImageConfiguration?

    /// Creates a context.
    public init(filesystem: LayeredFilesystem, os: OSRelease? = nil, configuration: ImageConfiguration? = nil)
    {
        self.filesystem = filesystem
        self.os = os
        self.configuration = configuration
    }
}
