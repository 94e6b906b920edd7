import Foundation
import NIOCore
import WharfContent

/// A small image graph built in code: an index of two platform manifests that share one
/// layer, each with its own config and one own layer.
struct GraphFixture {
    var blobs: [(Descriptor, [UInt8])] = []
    var index: Descriptor
    var manifests: [Descriptor] = []
    var sharedLayer: Descriptor

    init() throws {
        func blob(_ mediaType: OCIMediaType, _ text: String) -> (Descriptor, [UInt8]) {
            let bytes = Array(text.utf8)
            return (Descriptor(mediaType: mediaType, bytes: bytes), bytes)
        }
        func json(_ object: [String: Any]) throws -> [UInt8] {
            Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
        func descriptorJSON(_ d: Descriptor) -> [String: Any] {
            var object: [String: Any] = [
                "mediaType": d.mediaType.rawValue, "digest": d.digest.description, "size": d.size,
            ]
            if let platform = d.platform {
                object["platform"] = ["os": platform.os, "architecture": platform.architecture]
            }
            return object
        }
        let shared = blob(.ociLayerGzip, String(repeating: "shared layer ", count: 5000))
        sharedLayer = shared.0
        blobs.append(shared)
        var manifestEntries: [Descriptor] = []
        for architecture in ["amd64", "arm64"] {
            let config = blob(
                .ociConfig,
                #"{"architecture":"\#(architecture)","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"#)
            let layer = blob(
                .ociLayerGzip, "layer for \(architecture) " + String(repeating: architecture, count: 9000))
            let manifestBytes = try json([
                "schemaVersion": 2, "mediaType": OCIMediaType.ociManifest.rawValue,
                "config": descriptorJSON(config.0),
                "layers": [descriptorJSON(shared.0), descriptorJSON(layer.0)],
            ])
            var manifest = Descriptor(mediaType: .ociManifest, bytes: manifestBytes)
            blobs += [config, layer, (manifest, manifestBytes)]
            manifests.append(manifest)
            manifest.platform = Platform(os: "linux", architecture: architecture)
            manifestEntries.append(manifest)
        }
        let indexBytes = try json([
            "schemaVersion": 2, "mediaType": OCIMediaType.ociIndex.rawValue,
            "manifests": manifestEntries.map(descriptorJSON),
        ])
        index = Descriptor(mediaType: .ociIndex, bytes: indexBytes)
        blobs.append((index, indexBytes))
    }

    /// Pushes every blob into `store` and tags the index `latest`.
    func populate(_ store: some ContentTarget) async throws {
        for (descriptor, bytes) in blobs {
            try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        }
        try await store.tag(index, as: "latest")
    }
}
