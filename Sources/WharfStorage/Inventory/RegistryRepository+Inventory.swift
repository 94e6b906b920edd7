import Foundation
import WharfContent

extension RegistryRepository {
    /// Every manifest of the repository with its tags, link time, subject and children,
    /// in digest order. Reads each manifest once, `concurrency` at a time; manifests whose
    /// bytes are missing or do not decode are left out (see ``storedInventory(concurrency:)``
    /// for callers that must know of them).
    public func storedManifests(concurrency: Int = 16) async throws -> [StoredManifest] {
        try await storedInventory(concurrency: concurrency).manifests
    }

    /// ``storedManifests(concurrency:)``, and the digests of revisions whose manifest could
    /// not be read or decoded: a caller that would judge the repository as a whole (retention)
    /// must not take an unreadable index for an absent one.
    public func storedInventory(concurrency: Int = 16) async throws -> StoredInventory {
        try await storeBoundary {
            let revisions = Array(try await store.linkedDigests(under: RegistryLayout.revisions(name)))
            var tagsByDigest: [OCIDigest: [String]] = [:]
            for tag in try await tags() {
                if let digest = try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag)) {
                    tagsByDigest[digest, default: []].append(tag)
                }
            }
            var inventory = StoredInventory()
            inventory.manifests.reserveCapacity(revisions.count)
            try await withThrowingTaskGroup(of: (OCIDigest, Description).self) { group in
                var next = revisions.makeIterator()
                func addTask() -> Bool {
                    guard let digest = next.next() else { return false }
                    let tags = tagsByDigest[digest]?.sorted() ?? []
                    group.addTask { (digest, try await describe(digest, tags: tags)) }
                    return true
                }
                for _ in 0..<max(1, concurrency) where !addTask() { break }
                while let (digest, described) = try await group.next() {
                    switch described {
                    case .stored(let manifest): inventory.manifests.append(manifest)
                    case .unreadable: inventory.unreadable.append(digest)
                    case .gone: break
                    }
                    _ = addTask()
                }
            }
            inventory.manifests.sort { $0.digest.description < $1.digest.description }
            inventory.unreadable.sort { $0.description < $1.description }
            return inventory
        }
    }

    private enum Description: Sendable {
        case stored(StoredManifest)
        case unreadable
        case gone
    }

    private func describe(_ digest: OCIDigest, tags: [String]) async throws -> Description {
        guard let link = try await driver.statIfPresent(RegistryLayout.revisionLink(name, digest)) else {
            return .gone  // deleted since the listing
        }
        guard let content = try? await manifestContent(digest) else { return .unreadable }
        // The decoded document has all of it: no second reading of the JSON.
        let document = content.document
        let children: [Descriptor]
        let artifactType: OCIMediaType?
        switch document.content {
        case .manifest(let manifest):
            children = [manifest.config] + manifest.layers
            artifactType = manifest.artifactType ?? manifest.config.mediaType
        case .index(let index):
            children = index.manifests
            artifactType = index.artifactType
        }
        return .stored(
            StoredManifest(
                digest: digest, mediaType: content.descriptor.mediaType, size: content.descriptor.size,
                artifactType: artifactType, tags: tags, linkedAt: link.modificationTime,
                subject: document.subject?.digest,
                children: document.index?.manifests.map(\.digest) ?? [],
                referencedSize: children.reduce(0) { $0 + $1.size }))
    }

    /// Every manifest each tag has named, from the tags' indexes, oldest first per tag.
    public func storedTagLinks() async throws -> [StoredTagLink] {
        try await storeBoundary {
            var links: [StoredTagLink] = []
            for tag in try await tags() {
                let current = try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag))
                let index = try RegistryLayout.tag(name, tag).appending("index")
                var entries: [StoredTagLink] = []
                do {
                    for algorithm in try await driver.list(index) {
                        for entry in try await driver.list(algorithm) {
                            let link = try entry.appending("link")
                            guard let digest = try await driver.readLink(link),
                                let info = try await driver.statIfPresent(link)
                            else { continue }
                            entries.append(
                                StoredTagLink(
                                    tag: tag, digest: digest, linkedAt: info.modificationTime,
                                    isCurrent: digest == current))
                        }
                    }
                } catch StorageError.notFound {
                }
                links += entries.sorted {
                    ($0.linkedAt, $0.isCurrent ? 1 : 0) < ($1.linkedAt, $1.isCurrent ? 1 : 0)
                }
            }
            return links
        }
    }
}
