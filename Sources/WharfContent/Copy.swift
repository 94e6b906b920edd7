/// What a copy starts from: a reference the source resolves, or a descriptor already known.
///
/// A string literal is a reference: `copyGraph(from: layout, root: "v1", to: repository)`.
public enum CopyRoot: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// A tag or digest the source resolves; the copy tags the target with it (or with the
    /// copy's target reference) unless it is a digest.
    case reference(String)
    /// A descriptor of the source; the target is tagged only when a target reference is given.
    case descriptor(Descriptor)

    /// A reference written as a string literal.
    public init(stringLiteral value: String) { self = .reference(value) }

    /// The reference, or the descriptor's digest.
    public var description: String {
        switch self {
        case .reference(let reference): reference
        case .descriptor(let descriptor): descriptor.digest.description
        }
    }
}

/// Copies a graph from `source` to `target`: an index's manifests, each manifest's config
/// and layers (and, with ``CopyOptions/platforms`` set to one platform, only that platform's
/// image of an index), verifying every byte on the way in.
///
/// Content the target already has is skipped; blobs a registry can mount are mounted. The
/// copied root is tagged in the target as `targetReference`, or when that is `nil` as the
/// root's own reference; a digest is never a tag, and a ``CopyRoot/descriptor(_:)`` root
/// without a `targetReference` stays untagged. The progress reporter in `options`, if any,
/// receives every event and is finished at the end, also when the copy fails.
///
/// ```swift
/// let summary = try await copyGraph(from: layout, root: "v1", to: repository)
/// try await copyGraph(
///     from: remote, root: "v1", to: layout, as: "pulled",
///     options: CopyOptions(platforms: .platform(.host)))
/// ```
///
/// - Returns: a summary whose `root` is the descriptor that was copied (for one platform of
///   an index, that platform's manifest).
@discardableResult
public func copyGraph(
    from source: some ReadOnlyContentTarget, root: CopyRoot, to target: some ContentTarget,
    as targetReference: String? = nil, options: CopyOptions = CopyOptions()
) async throws -> CopySummary {
    defer { options.progress?.finish() }
    let descriptor = try await source.resolve(
        root, platforms: options.platforms, manifestSizeLimit: options.manifestSizeLimit)
    let tag: String? =
        switch root {
        case .reference(let reference): targetReference ?? reference
        case .descriptor: targetReference
        }
    let reference = tag.flatMap { (try? OCIDigest(parsing: $0)) == nil ? $0 : nil }
    let copier = GraphCopier(
        source: source, target: target, root: descriptor, options: options.withoutDone,
        rootReference: reference)
    let summary = try await copier.run()
    if let reference, await !copier.pushedRootByReference {
        try await target.tag(descriptor, as: reference)
    }
    options.progress?.report(.done(summary))
    return summary
}

extension ReferenceResolver where Self: ContentFetcher {
    /// The descriptor `root` names in this store: a reference resolved, a descriptor as it
    /// is; with `platforms` set to one platform and an index at the root, the index's image
    /// that best fits the platform (see ``Platform/bestMatch(in:)``).
    ///
    /// Throws ``ContentError/noMatchingPlatform(_:available:)`` when the index has no image
    /// the platform can run.
    public func resolve(
        _ root: CopyRoot, platforms: PlatformSelection,
        manifestSizeLimit: Int = ContentGraph.defaultManifestSizeLimit
    ) async throws -> Descriptor {
        let descriptor =
            switch root {
            case .reference(let reference): try await resolve(reference)
            case .descriptor(let descriptor): descriptor
            }
        guard case .platform(let platform) = platforms, descriptor.mediaType.isIndex else {
            return descriptor
        }
        let content = try await ByteStream(
            fetch(descriptor).verified(digest: descriptor.digest, size: descriptor.size)
        ).collect(upTo: manifestSizeLimit)
        let manifests = try ContentGraph.edges(of: descriptor, content: content).children
        guard let chosen = platform.bestMatch(in: manifests) else {
            throw ContentError.noMatchingPlatform(platform, available: manifests.compactMap(\.platform))
        }
        return chosen
    }
}

extension CopyOptions {
    /// The same options whose reporter does not receive the copier's own `done`, for a
    /// caller that has more to do (tagging) before the copy is done.
    var withoutDone: CopyOptions {
        var copy = self
        copy.progress = progress.map {
            CopyProgress.Reporter(continuation: $0.continuation, suppressDone: true)
        }
        return copy
    }
}
