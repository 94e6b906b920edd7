import Foundation
public import WharfContent
public import WharfImage

/// Scans an image in any content store: reads its filesystem, lets each cataloger find its
/// packages, and matches them against an advisory source.
public struct ImageScanner: Sendable {
    /// The advisories; `nil` lists packages only (an SBOM).
    public var advisories: (any AdvisorySource)?
    /// The catalogers that find packages, in the order their packages are reported.
    public var catalogers: [any Cataloger]
    /// Reading limits.
    public var limits: ScanLimits

    /// Wharf's catalogers: dpkg, apk, Python, npm and Go binaries.
    public static let defaultCatalogers: [any Cataloger] = [
        DpkgCataloger(), ApkCataloger(), PythonCataloger(), NpmCataloger(), GoBinaryCataloger(),
    ]

    /// Creates a scanner.
    public init(
        advisories: (any AdvisorySource)?, catalogers: [any Cataloger] = ImageScanner.defaultCatalogers,
        limits: ScanLimits = ScanLimits()
    ) {
        self.advisories = advisories
        self.catalogers = catalogers
        self.limits = limits
    }

    /// Scans `reference` in `store`; from an index, the image for `platform`.
    ///
    /// Throws `ScanError.malformedMetadata` when the image's configuration does not decode
    /// as an image configuration (an artifact is not an image to scan).
    public func scan(
        _ reference: String, in store: some ReadOnlyContentTarget, platform: Platform = .host
    ) async throws -> ScanReport {
        let root = try await store.resolve(.reference(reference), platforms: .platform(platform))
        let manifestBytes = try await store.fetch(root).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        let manifest = try ImageManifest.decode(Data(manifestBytes.readableBytesView))
        let configBytes = try await store.fetch(manifest.config).collect(upTo: limits.configurationBytes)
        let configuration: ImageConfiguration
        do {
            configuration = try ImageConfiguration.decode(Data(configBytes.readableBytesView))
        } catch {
            throw ScanError.malformedMetadata(
                path: "configuration \(manifest.config.digest)",
                reason: "not an image configuration: \(error)")
        }
        let catalogers = self.catalogers
        let filesystem = try await ImageFilesystemReader(limits: limits).read(
            manifest: manifest, configuration: configuration, from: store,
            findGoBinaries: catalogers.contains { $0.readsGoBuildInfo },
            capture: { path in
                catalogers.contains { $0.wants(path) } || OSRelease.paths.contains(path) ? Int.max : nil
            })
        let context = CatalogContext(
            filesystem: filesystem, os: OSRelease.detect(in: filesystem), configuration: configuration)
        var packages: [SoftwarePackage] = []
        for cataloger in catalogers { packages += try cataloger.packages(in: context) }
        let findings =
            try advisories.map { try VulnerabilityMatcher(source: $0).findings(for: packages) } ?? []
        return ScanReport(
            reference: reference, digest: root.digest, os: context.os, packages: packages, findings: findings)
    }
}
