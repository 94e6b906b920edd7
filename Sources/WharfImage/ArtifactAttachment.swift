import Foundation
import NIOCore
public import WharfContent

/// Pushes `document` into `target` as an OCI 1.1 artifact that refers to `subject`: an
/// image manifest whose `artifactType` is the document's media type, with the empty
/// config and the document as its only layer. Registries list it among the subject's
/// referrers (those without the referrers API through the tag schema, which the client
/// maintains).
///
/// - Returns: the artifact manifest's descriptor.
@discardableResult
public func attachArtifact(
    _ document: [UInt8], mediaType: OCIMediaType, to subject: Descriptor, in target: some ContentStorage,
    annotations: [String: String] = [:]
) async throws -> Descriptor {
    let layer = Descriptor(mediaType: mediaType, bytes: document)
    try await target.push(layer, content: ByteStream(ByteBuffer(bytes: document)))
    let empty = Descriptor.empty
    if try await !target.exists(empty) {
        try await target.push(empty, content: ByteStream(ByteBuffer(string: "{}")))
    }
    let subjectReference = Descriptor(
        mediaType: subject.mediaType, digest: subject.digest, size: subject.size)
    let manifest = try ManifestDocument(
        ImageManifest(
            config: empty, layers: [layer], artifactType: mediaType, subject: subjectReference,
            annotations: annotations.isEmpty ? nil : annotations))
    try await target.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
    return manifest.descriptor
}
