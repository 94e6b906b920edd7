import Foundation
import NIOCore
import WharfContent
import WharfImage

@testable import WharfClient

/// A small OCI image built in memory: a config, the given layers, a manifest.
struct TestImage {
    let store = MemoryStore()
    let layers: [[UInt8]]
    let layerDescriptors: [Descriptor]
    let configDescriptor: Descriptor
    let manifestDescriptor: Descriptor

    init(layers: [[UInt8]], architecture: String = "amd64") throws {
        self.layers = layers
        layerDescriptors = layers.map { Descriptor(mediaType: .ociLayer, bytes: $0) }
        let diffIDs = layers.map { "\"\(DigestHasher.digest(of: $0))\"" }.joined(separator: ",")
        let config = Array(
            #"{"architecture":"\#(architecture)","os":"linux","rootfs":{"type":"layers","diff_ids":[\#(diffIDs)]}}"#
                .utf8)
        configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        let document = try ManifestDocument(ImageManifest(config: configDescriptor, layers: layerDescriptors))
        manifestDescriptor = document.descriptor
        self.configBytes = config
        self.manifestBytes = Array(document.bytes)
    }

    let configBytes: [UInt8]
    let manifestBytes: [UInt8]

    /// Pushes the image to `repository` and tags it with each of `tags`.
    func push(to repository: RemoteRepository, tags: [String]) async throws {
        for (descriptor, bytes) in zip(layerDescriptors, layers) {
            try await repository.push(descriptor, content: ByteStream(ByteBuffer(bytes: bytes)))
        }
        try await repository.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: configBytes)))
        try await repository.push(manifestDescriptor, content: ByteStream(ByteBuffer(bytes: manifestBytes)))
        for tag in tags { try await repository.tag(manifestDescriptor, as: tag) }
    }
}

/// Raw upload steps, for tests that need an upload another process left behind.
enum TestUpload {
    /// PATCHes `bytes` at the session's offset and returns the updated session.
    static func patch(
        _ bytes: [UInt8], session: UploadSession, client: RegistryClient
    ) async throws -> UploadSession {
        let response = try await client.send(
            RegistryRequest(
                .PATCH, session.location, scopes: [], expected: [202],
                headers: [
                    "Content-Type": "application/octet-stream",
                    "Content-Range": "\(session.offset)-\(session.offset + Int64(bytes.count) - 1)",
                ], body: { .bytes(bytes) }))
        return UploadSession(
            location: response.headers.first(name: "Location") ?? session.location,
            offset: session.offset + Int64(bytes.count), minimumChunkLength: session.minimumChunkLength)
    }
}
