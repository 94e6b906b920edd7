import Foundation
import NIOCore
import WharfContent
import WharfImage

/// An OCI layout whose tag `v1` is an index of two single-layer images, linux/amd64 and
/// linux/arm64/v8, written through Wharf's own layout store.
enum MultiPlatformLayout {
    /// Returns the index and the arm64 manifest descriptors.
    static func make(at path: String) async throws -> (index: Descriptor, arm: Descriptor) {
        let store = try await OCILayoutStore(root: path)
        var entries: [Descriptor] = []
        for (architecture, variant) in [("amd64", nil), ("arm64", "v8")] as [(String, String?)] {
            let layer = Array("layer for \(architecture)".utf8)
            let layerDescriptor = Descriptor(mediaType: .ociLayer, bytes: layer)
            let config = Array(
                #"{"architecture":"\#(architecture)","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(layerDescriptor.digest)"]}}"#
                    .utf8)
            let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
            let manifest = try ManifestDocument(
                ImageManifest(config: configDescriptor, layers: [layerDescriptor]))
            try await store.push(layerDescriptor, content: ByteStream(ByteBuffer(bytes: layer)))
            try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
            try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
            var entry = manifest.descriptor
            entry.platform = Platform(os: "linux", architecture: architecture, variant: variant)
            entries.append(entry)
        }
        let index = try ManifestDocument(ImageIndex(manifests: entries))
        try await store.push(index.descriptor, content: ByteStream(ByteBuffer(bytes: index.bytes)))
        try await store.tag(index.descriptor, as: "v1")
        return (index.descriptor, entries[1])
    }
}
