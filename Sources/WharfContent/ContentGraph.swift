import Foundation
public import NIOCore

/// The edges of an image graph, read from manifest and index bytes.
///
/// This is the minimal reading a graph walk needs (which descriptors a node points at); the
/// full, validating codecs live in `WharfImage`. Keeping it here lets ``copyGraph(from:root:to:as:options:)``
/// and the stores of this module walk graphs without depending upward.
public enum ContentGraph {
    /// The largest manifest or index the graph walk reads, as registries cap them.
    public static let defaultManifestSizeLimit = 4 << 20

    /// What a manifest or index points at.
    public struct Edges: Sendable, Hashable {
        /// Children that must exist before the node can be stored: an index's manifests, or a
        /// manifest's config and layers (in that order).
        public var children: [Descriptor]
        /// The manifest this one refers to (image-spec 1.1 `subject`), which need not exist.
        public var subject: Descriptor?
        /// The node's own `artifactType`, or for an image manifest without one its config's
        /// media type (even the empty descriptor's), as the distribution-spec's referrers
        /// API reports it.
        public var artifactType: OCIMediaType?
        /// The node's annotations.
        public var annotations: [String: String]?
    }

    /// Reads the edges of `descriptor`'s `content`. Content of a media type that is not a
    /// manifest or index has no edges.
    public static func edges(of descriptor: Descriptor, content: ByteBuffer) throws -> Edges {
        guard descriptor.mediaType.isImageManifest || descriptor.mediaType.isIndex else {
            return Edges(children: [])
        }
        let node: Node
        do {
            node = try JSONDecoder().decode(Node.self, from: Data(content.readableBytesView))
        } catch {
            throw ContentError.invalidDescriptor(
                "\(descriptor.digest) is not a valid \(descriptor.mediaType): \(error)")
        }
        if descriptor.mediaType.isIndex {
            return Edges(
                children: node.manifests ?? [], subject: node.subject, artifactType: node.artifactType,
                annotations: node.annotations)
        }
        let children = (node.config.map { [$0] } ?? []) + (node.layers ?? [])
        let artifactType = node.artifactType ?? node.config?.mediaType
        return Edges(
            children: children, subject: node.subject, artifactType: artifactType,
            annotations: node.annotations)
    }

    /// The descriptor the referrers API lists for `descriptor` (a manifest with a
    /// `subject`): its media type, digest and size, the artifact type, and the manifest's
    /// annotations; with the subject's digest. `nil` for content that refers to nothing.
    public static func referrer(
        _ descriptor: Descriptor, content: ByteBuffer
    ) -> (subject: OCIDigest, descriptor: Descriptor)? {
        guard descriptor.mediaType.isManifest,
            let edges = try? edges(of: descriptor, content: content), let subject = edges.subject
        else {
            return nil
        }
        var referrer = Descriptor(
            mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size)
        referrer.artifactType = edges.artifactType
        referrer.annotations = edges.annotations
        return (subject.digest, referrer)
    }

    private struct Node: Decodable {
        var config: Descriptor?
        var layers: [Descriptor]?
        var manifests: [Descriptor]?
        var subject: Descriptor?
        var artifactType: OCIMediaType?
        var annotations: [String: String]?
    }
}
