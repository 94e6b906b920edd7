import Foundation
import NIOCore
import WharfStorage

/// Small distinct images written straight into a storage root, for tests that need many.
enum TinyImages {
    /// Pushes `count` images (a config naming each, no layers) to `repository` as
    /// `<prefix>-<n>`, returning their digests in order.
    static func push(
        _ count: Int, to repository: RegistryRepository, prefix: String
    ) async throws -> [OCIDigest] {
        var digests: [OCIDigest] = []
        for index in 0..<count {
            let config = Array(
                #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"comment":"\#(prefix) \#(index)"}"#
                    .utf8)
            let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
            try await repository.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
            let document = try ManifestDocument(ImageManifest(config: configDescriptor, layers: []))
            let descriptor = try await repository.putManifest(
                ByteBuffer(bytes: document.bytes), mediaType: .ociManifest, reference: "\(prefix)-\(index)"
            ).descriptor
            digests.append(descriptor.digest)
        }
        return digests
    }

    /// Dates every file below `directory` `age` back, as if written then.
    static func backdate(_ directory: String, by age: TimeInterval) throws {
        let then = Date().addingTimeInterval(-age)
        let enumerator = FileManager.default.enumerator(atPath: directory)
        while let path = enumerator?.nextObject() as? String {
            try FileManager.default.setAttributes(
                [.modificationDate: then], ofItemAtPath: directory + "/" + path)
        }
    }
}
