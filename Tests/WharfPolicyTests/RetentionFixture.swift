import Foundation
import NIOCore
import WharfPolicy
import WharfTestSupport

/// A registry with a generated history: artifacts pushed and pulled over simulated days,
/// in an in-memory store and metadata database.
struct RetentionFixture {
    struct Artifact: Codable {
        var repository: String
        var digest: String
        var tags: [String]
        var pushedAt: Int
        var lastPulledAt: Int?
    }

    let store: RegistryStore
    let metadata = InMemoryMetadataStore()
    var artifacts: [Artifact] = []

    init(immutableTags: TagImmutability = .none) {
        var options = RegistryStoreOptions()
        options.immutableTags = immutableTags
        store = RegistryStore(driver: InMemoryDriver(), options: options)
    }

    /// Pushes a small image of its own (a config naming it, no layers) as `tags` (untagged
    /// when empty) and records its simulated push and last pull.
    @discardableResult
    mutating func add(
        _ repository: String, name: String, tags: [String], pushedAt: Date, lastPulledAt: Date? = nil,
        subject: Descriptor? = nil
    ) async throws -> Descriptor {
        let target = try store.repository(repository)
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"comment":"\#(repository) \#(name)"}"#
                .utf8)
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        try await target.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        let document = try ManifestDocument(
            ImageManifest(config: configDescriptor, layers: [], subject: subject))
        let descriptor = try await target.putManifest(
            ByteBuffer(bytes: document.bytes), mediaType: .ociManifest,
            reference: tags.first ?? document.descriptor.digest.description
        ).descriptor
        for tag in tags.dropFirst() { try await target.setTag(tag, to: descriptor.digest) }
        try await metadata.recordPush(
            PushRecord(
                repository: repository, digest: descriptor.digest, mediaType: descriptor.mediaType,
                size: descriptor.size, at: pushedAt))
        if let lastPulledAt {
            try await metadata.recordPulls([
                PullRecord(repository: repository, digest: descriptor.digest, at: lastPulledAt)
            ])
        }
        artifacts.append(
            Artifact(
                repository: repository, digest: descriptor.digest.description, tags: tags.sorted(),
                pushedAt: Int(pushedAt.timeIntervalSince1970),
                lastPulledAt: lastPulledAt.map { Int($0.timeIntervalSince1970) }))
        return descriptor
    }

    /// Every manifest the store holds, as `repository@digest`.
    func stored() async throws -> Set<String> {
        var result = Set<String>()
        for name in try await store.catalog() {
            for manifest in try await store.repository(name).storedManifests() {
                result.insert("\(name)@\(manifest.digest)")
            }
        }
        return result
    }
}
