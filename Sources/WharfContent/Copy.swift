/// Copies the graph rooted at `root` from `source` to `target`: an index's manifests, each
/// manifest's config and layers, verifying every byte on the way in.
///
/// Content the target already has is skipped; the root is not tagged. The progress
/// reporter in `options`, if any, receives every event and is finished at the end.
@discardableResult
public func copyGraph(
    root: Descriptor, from source: some ContentFetcher, to target: some ContentStorage,
    options: CopyOptions = CopyOptions()
) async throws -> CopySummary {
    defer { options.progress?.finish() }
    return try await GraphCopier(source: source, target: target, root: root, options: options).run()
}

/// Resolves `reference` in `source`, copies its graph to `target`, and tags the root in
/// the target as `targetReference` (by default the same reference; a digest reference is
/// not tagged).
///
/// - Returns: a summary whose `root` is the copied root descriptor.
@discardableResult
public func copy(
    from source: some ReadOnlyContentTarget, reference: String, to target: some ContentTarget,
    as targetReference: String? = nil, options: CopyOptions = CopyOptions()
) async throws -> CopySummary {
    try await copy(
        from: source, reference: reference, to: target, as: targetReference, options: options,
        choosingRoot: { try await source.resolve(reference) })
}

/// The shared shape of the copies that start from a reference: choose the root (resolve
/// it, or pick a platform's manifest), copy, and tag it as `targetReference` (default:
/// `reference`; digests are not tagged). A failure to choose still ends the progress
/// stream, so that listeners are not left waiting.
package func copy(
    from source: some ContentFetcher, reference: String, to target: some ContentStorage & ReferenceTagger,
    as targetReference: String?, options: CopyOptions, choosingRoot: () async throws -> Descriptor
) async throws -> CopySummary {
    let root: Descriptor
    do {
        root = try await choosingRoot()
    } catch {
        options.progress?.finish()
        throw error
    }
    let newReference = targetReference ?? reference
    return try await copy(
        from: source, root: root, to: target,
        as: (try? Digest(parsing: newReference)) == nil ? newReference : nil,
        options: options)
}

/// Copies the graph under `root` (already resolved, or chosen from an index) to `target`
/// and tags it there as `reference` when one is given.
///
/// - Returns: a summary whose `root` is `root`.
@discardableResult
public func copy(
    from source: some ContentFetcher, root: Descriptor, to target: some ContentStorage & ReferenceTagger,
    as reference: String?, options: CopyOptions = CopyOptions()
) async throws -> CopySummary {
    defer { options.progress?.finish() }
    let copier = GraphCopier(
        source: source, target: target, root: root, options: options.withoutDone, rootReference: reference)
    let summary = try await copier.run()
    if let reference, await !copier.pushedRootByReference {
        try await target.tag(root, as: reference)
    }
    options.progress?.report(.done(summary))
    return summary
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
