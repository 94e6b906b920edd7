public import WharfContent

extension RegistryRepository {
    /// The manifests of this repository whose `subject` is `subject`, as descriptors with
    /// their `artifactType` (a manifest's own, else its config's media type) and
    /// annotations, optionally only those of one `artifactType`; sorted by digest.
    public func referrers(
        of subject: OCIDigest, artifactType: OCIMediaType? = nil
    ) async throws -> [Descriptor] {
        try await storeBoundary {
            let directory = try RegistryLayout.referrers(name, subject: subject)
            var links: [StoragePath] = []
            do {
                for algorithm in try await driver.list(directory) {
                    for entry in try await driver.list(algorithm) {
                        try links.append(entry.appending("link"))
                    }
                }
            } catch StorageError.notFound {
                return []
            }
            var result: [Descriptor] = []
            for link in links {
                guard let digest = try await driver.readLink(link),
                    try await driver.readLink(RegistryLayout.revisionLink(name, digest)) == digest,
                    let content = try? await manifestContent(digest)
                else { continue }
                let edges = try ContentGraph.edges(of: content.descriptor, content: content.bytes)
                var descriptor = content.descriptor
                descriptor.artifactType = edges.artifactType
                descriptor.annotations = edges.annotations
                if let artifactType, descriptor.artifactType != artifactType { continue }
                result.append(descriptor)
            }
            return result.sorted { $0.digest < $1.digest }
        }
    }
}
