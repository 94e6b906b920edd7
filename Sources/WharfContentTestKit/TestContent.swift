import Foundation
import WharfContent

/// Content the checks push: blobs of unpredictable bytes (so that no check meets content
/// an earlier run left in a shared registry) and manifests over them.
struct TestContent {
    private var generator = SystemRandomNumberGenerator()

    /// A blob of `count` random bytes with its descriptor.
    mutating func blob(
        _ count: Int, mediaType: OCIMediaType = .ociLayer
    ) -> (descriptor: Descriptor, bytes: [UInt8]) {
        var bytes = [UInt8](repeating: 0, count: count)
        var index = 0
        while index < count {
            var word = generator.next()
            for _ in 0..<min(8, count - index) {
                bytes[index] = UInt8(truncatingIfNeeded: word)
                word >>= 8
                index += 1
            }
        }
        return (
            Descriptor(mediaType: mediaType, digest: DigestHasher.digest(of: bytes), size: Int64(count)),
            bytes
        )
    }

    /// An image manifest over a fresh config and `layers` fresh layers, with everything
    /// it references; push the blobs before the manifest.
    mutating func image(
        layers: Int = 2, subject: Descriptor? = nil, artifactType: OCIMediaType? = nil
    ) throws -> (
        manifest: (descriptor: Descriptor, bytes: [UInt8]), blobs: [(descriptor: Descriptor, bytes: [UInt8])]
    ) {
        let nonce = UInt64.random(in: .min ... .max, using: &generator)
        let configBytes = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"wharf.nonce":"\#(nonce)"}"#
                .utf8)
        let config = (
            descriptor: Descriptor(
                mediaType: .ociConfig, digest: DigestHasher.digest(of: configBytes),
                size: Int64(configBytes.count)),
            bytes: configBytes
        )
        let layerBlobs = (0..<layers).map { index in blob(1000 + index * 517) }
        let manifest = ManifestJSON(
            mediaType: .ociManifest, artifactType: artifactType, config: config.descriptor,
            layers: layerBlobs.map(\.descriptor), manifests: nil, subject: subject)
        return (try document(manifest, mediaType: .ociManifest), [config] + layerBlobs)
    }

    /// An index over `manifests`.
    func index(of manifests: [Descriptor]) throws -> (descriptor: Descriptor, bytes: [UInt8]) {
        try document(
            ManifestJSON(
                mediaType: .ociIndex, artifactType: nil, config: nil, layers: nil, manifests: manifests,
                subject: nil),
            mediaType: .ociIndex)
    }

    private func document(
        _ value: ManifestJSON, mediaType: OCIMediaType
    ) throws -> (descriptor: Descriptor, bytes: [UInt8]) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(value))
        return (
            Descriptor(
                mediaType: mediaType, digest: DigestHasher.digest(of: bytes), size: Int64(bytes.count)), bytes
        )
    }

    /// Pushes blobs, then the manifest, as a copy would.
    static func push(
        _ image: (
            manifest: (descriptor: Descriptor, bytes: [UInt8]),
            blobs: [(descriptor: Descriptor, bytes: [UInt8])]
        ),
        to store: any ContentTarget
    ) async throws {
        for blob in image.blobs {
            try await store.push(blob.descriptor, content: ByteStream(ByteBuffer(bytes: blob.bytes)))
        }
        try await store.push(
            image.manifest.descriptor, content: ByteStream(ByteBuffer(bytes: image.manifest.bytes)))
    }
}

/// An image manifest or index as the image-spec writes it.
private struct ManifestJSON: Encodable {
    var schemaVersion = 2
    var mediaType: OCIMediaType
    var artifactType: OCIMediaType?
    var config: Descriptor?
    var layers: [Descriptor]?
    var manifests: [Descriptor]?
    var subject: Descriptor?
}
