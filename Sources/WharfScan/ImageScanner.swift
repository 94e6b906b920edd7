import Foundation
public import WharfContent
public import WharfImage

/// Scans an image in any content store: reads its filesystem, finds its packages, and
/// matches them against an advisory database.
public struct ImageScanner: Sendable {
    /// The advisories; `nil` lists packages only (an SBOM).
    public var database: AdvisoryDatabase?
    /// Reading limits.
    public var limits: ScanLimits

    /// Creates a scanner.
    public init(database: AdvisoryDatabase?, limits: ScanLimits = ScanLimits()) {
        self.database = database
        self.limits = limits
    }

    /// Scans `reference` in `store`; from an index, the image for `platform`.
    public func scan(
        _ reference: String, in store: some ReadOnlyContentTarget, platform: Platform = .host
    ) async throws -> ScanReport {
        let root = try await store.resolve(.reference(reference), platforms: .platform(platform))
        let manifestBytes = try await store.fetch(root).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        let manifest = try ImageManifest.decode(Data(manifestBytes.readableBytesView))
        let configBytes = try await store.fetch(manifest.config).collect(upTo: 64 << 20)
        let configuration = try? JSONDecoder().decode(
            ImageConfiguration.self, from: Data(configBytes.readableBytesView))
        let (dpkg, apk, python, npm) = (DpkgCataloger(), ApkCataloger(), PythonCataloger(), NpmCataloger())
        let filesystem = try await ImageFilesystemReader(limits: limits).read(
            manifest: manifest, configuration: configuration, from: store,
            findGoBinaries: true,
            capture: { path in
                dpkg.wants(path) || apk.wants(path) || python.wants(path) || npm.wants(path)
                    || OSRelease.paths.contains(path)
                    ? Int.max : nil
            })
        let os = OSRelease.detect(in: filesystem)
        let packages =
            try dpkg.packages(in: filesystem, os: os) + apk.packages(in: filesystem, os: os)
            + python.packages(in: filesystem) + npm.packages(in: filesystem)
            + GoBinaryCataloger().packages(in: filesystem)
        let findings =
            try database.map { try VulnerabilityMatcher(database: $0).findings(for: packages) } ?? []
        return ScanReport(
            reference: reference, digest: root.digest, os: os, packages: packages, findings: findings)
    }
}
