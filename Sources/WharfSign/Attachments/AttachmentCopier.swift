public import WharfContent
import WharfImage

/// Copies what is attached to an image along with it, as `cosign copy` does: the
/// `.sig`, `.att` and `.sbom` images at their tags and the image's referrers, for the
/// image and, for an index, each of its manifests present in the source.
public struct AttachmentCopier: Sendable {
    /// Options for each copy (concurrency, progress).
    public var options: CopyOptions

    /// Creates a copier.
    public init(options: CopyOptions = CopyOptions()) {
        self.options = options
    }

    /// Copies the attachments of `image` (already copied) from `source` to `target`;
    /// returns how many attachment manifests were copied.
    @discardableResult
    public func copyAttachments(
        of image: Descriptor, from source: some ReadOnlyContentTarget, to target: some ContentTarget
    ) async throws -> Int {
        var subjects = [image]
        if image.mediaType.isIndex {
            let bytes = try await source.fetch(image).collect(upTo: ContentGraph.defaultManifestSizeLimit)
            for child in try ContentGraph.edges(of: image, content: bytes).children
            where child.mediaType.isManifest {
                if try await source.exists(child) { subjects.append(child) }
            }
        }
        var copied = 0
        var options = options
        options.platforms = .all
        options.progress = nil  // each copy would finish a shared reporter
        for subject in subjects {
            let attachments = try await ImageAttachments.find(for: subject, in: source)
            for tagged in attachments.taggedImages {
                try await copyGraph(
                    from: source, root: .descriptor(tagged.manifest), to: target, as: tagged.tag,
                    options: options)
                copied += 1
            }
            for referrer in attachments.referrers {
                try await copyGraph(from: source, root: .descriptor(referrer), to: target, options: options)
                copied += 1
            }
        }
        return copied
    }
}
