import Foundation
public import WharfContent

/// Which images of a multi-platform index a copy takes.
public enum PlatformSelection: Sendable, Hashable {
    /// The whole index and every image in it.
    case all
    /// Only the image for this platform (the index itself is not copied), as skopeo and
    /// crane do by default for the host platform.
    case platform(Platform)
}

/// Copies the image `reference` names from `source` to `target`, tagging it there as
/// `targetReference` (by default `reference`; digests are not tagged).
///
/// A single-platform image is copied whole. From an index, `platforms` decides: `.all`
/// copies the index graph digest for digest; `.platform(p)` copies only the manifest
/// that best matches `p` (`ImageIndex.manifest(for:)`), and that manifest is what gets
/// tagged.
@discardableResult
public func copyImage(
    from source: some ReadOnlyContentTarget, reference: String, to target: some ContentTarget,
    as targetReference: String? = nil, platforms: PlatformSelection = .platform(.host),
    options: CopyOptions = CopyOptions()
) async throws -> CopySummary {
    try await copy(
        from: source, reference: reference, to: target, as: targetReference, options: options,
        choosingRoot: {
            try await selectRoot(
                in: source, reference: reference, platforms: platforms, limit: options.manifestSizeLimit)
        })
}

/// The descriptor `reference` names, or for an index and a single platform, the
/// manifest for that platform.
public func selectRoot(
    in source: some ReadOnlyContentTarget, reference: String, platforms: PlatformSelection,
    limit: Int = ContentGraph.defaultManifestSizeLimit
) async throws -> Descriptor {
    let root = try await source.resolve(reference)
    guard case .platform(let platform) = platforms, root.mediaType.isIndex else { return root }
    let bytes = try await source.fetch(root).collect(upTo: limit)
    let index = try ImageIndex.decode(Data(bytes.readableBytesView), expected: root.mediaType)
    guard let manifest = index.manifest(for: platform) else {
        let available = index.manifests.compactMap { $0.platform.map { "\($0)" } }.joined(separator: ", ")
        throw ImageSpecError(
            field: "manifests",
            reason: "no image for platform \(platform) in \(reference) (available: \(available))")
    }
    return manifest
}
