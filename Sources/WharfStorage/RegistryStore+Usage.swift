public import WharfContent

/// How much storage a repository or namespace references.
public struct StorageUsage: Sendable, Hashable {
    /// Distinct blobs and manifests referenced.
    public var objects: Int
    /// Their total size in bytes.
    public var bytes: Int64
    /// The digests counted, so a caller can tell whether adding one changes the total.
    public var digests: Set<OCIDigest>
}

extension RegistryStore {
    /// The storage a repository references: its linked blobs and its manifest revisions.
    public func usage(ofRepository name: String) async throws -> StorageUsage {
        try await storeBoundary {
            let root = try RegistryLayout.repository(name)
            var digests = Set<OCIDigest>()
            for directory in [try root.appending("_layers"), try root.appending("_manifests", "revisions")] {
                digests.formUnion(try await linkedDigests(under: directory))
            }
            return try await measure(digests)
        }
    }

    /// The storage all repositories of a namespace reference, each object counted once.
    public func usage(ofNamespace namespace: String) async throws -> StorageUsage {
        try await storeBoundary {
            let root = try RegistryLayout.repository(namespace)
            var digests = Set<OCIDigest>()
            guard try await driver.exists(root) else {
                return StorageUsage(objects: 0, bytes: 0, digests: [])
            }
            var linkDirectories: [StoragePath] = []
            try await driver.walk(root, startAfter: nil) { info in
                guard info.isDirectory else { return .proceed }
                switch info.path.lastComponent {
                case "_layers":
                    linkDirectories.append(info.path)
                    return .skipDirectory
                case "_manifests":
                    linkDirectories.append(try info.path.appending("revisions"))
                    return .skipDirectory
                case let component where component.hasPrefix("_"):
                    return .skipDirectory
                default:
                    return .proceed
                }
            }
            for directory in linkDirectories { digests.formUnion(try await linkedDigests(under: directory)) }
            return try await measure(digests)
        }
    }

    /// Refuses, with ``RegistryStoreError/denied(_:)``, adding `digest` of `size` bytes to
    /// `repository` when that would exceed its repository or namespace quota.
    func checkQuota(adding digest: OCIDigest?, size: Int64, to repository: String) async throws {
        guard let quotas = options.quotas else { return }
        if let limit = quotas.repositoryLimit(repository) {
            let usage = try await usage(ofRepository: repository)
            let added = digest.map { usage.digests.contains($0) } == true ? 0 : size
            if usage.bytes + added > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: repository \(repository) would use \(usage.bytes + added) of \(limit) bytes"
                )
            }
        }
        let namespace = QuotaPolicy.namespace(of: repository)
        if let limit = quotas.namespaceLimit(namespace) {
            let usage = try await usage(ofNamespace: namespace)
            let added = digest.map { usage.digests.contains($0) } == true ? 0 : size
            if usage.bytes + added > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: namespace \(namespace) would use \(usage.bytes + added) of \(limit) bytes"
                )
            }
        }
    }

    private func measure(_ digests: Set<OCIDigest>) async throws -> StorageUsage {
        var bytes: Int64 = 0
        var present = Set<OCIDigest>()
        for digest in digests {
            if let size = try await blobSize(digest) {
                bytes += size
                present.insert(digest)
            }
        }
        return StorageUsage(objects: present.count, bytes: bytes, digests: present)
    }

    /// The digests of `<alg>/<hex>/link` entries below `directory`.
    func linkedDigests(under directory: StoragePath) async throws -> Set<OCIDigest> {
        var digests = Set<OCIDigest>()
        do {
            for algorithm in try await driver.list(directory) {
                for entry in try await driver.list(algorithm) {
                    if let digest = try await driver.readLink(entry.appending("link")) {
                        digests.insert(digest)
                    }
                }
            }
        } catch StorageError.notFound {
        }
        return digests
    }
}
