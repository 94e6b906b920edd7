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
            let ledger = try await namespaceLedger(namespace)
            return StorageUsage(objects: ledger.digests.count, bytes: ledger.bytes, digests: ledger.digests)
        }
    }

    /// Runs `link`, which links `digest` (`size` bytes) into `repository`, within the
    /// repository's and its namespace's quotas: refused with
    /// ``RegistryStoreError/denied(_:)`` (and `link` not run) when it would pass one. The
    /// check costs no walk of the repository (see ``QuotaLedger``), and concurrent links
    /// cannot together pass a limit.
    func withQuota<T>(
        adding digest: OCIDigest, size: Int64, to repository: String, _ link: () async throws -> T
    ) async throws -> T {
        let namespace = QuotaPolicy.namespace(of: repository)
        guard let quotas = options.quotas else { return try await link() }
        let (repositoryLimit, namespaceLimit) = (
            quotas.repositoryLimit(repository), quotas.namespaceLimit(namespace)
        )
        guard repositoryLimit != nil || namespaceLimit != nil else { return try await link() }
        let reservation = try await quotaLedger.reserve(
            digest, size: size, repository: repository, repositoryLimit: repositoryLimit,
            namespace: namespace,
            namespaceLimit: namespaceLimit, load: { try await self.namespaceLedger(namespace) })
        guard let reservation else { return try await link() }
        do {
            let result = try await link()
            await quotaLedger.confirm(reservation)
            return result
        } catch {
            // A link that failed part-way (cancelled after its write, say) may exist: the
            // ledger reads the namespace again rather than guess.
            await quotaLedger.release(reservation, linkUncertain: true)
            throw error
        }
    }

    /// Tells the quota ledger that `digest` is no longer linked into `repository`.
    func unlinked(_ digest: OCIDigest, from repository: String) async {
        guard options.quotas != nil else { return }
        await quotaLedger.removed(digest, from: repository, in: QuotaPolicy.namespace(of: repository))
    }

    /// What every repository of `namespace` links, read from storage.
    func namespaceLedger(_ namespace: String) async throws -> QuotaLedger.Namespace {
        var ledger = QuotaLedger.Namespace()
        let root = try RegistryLayout.repository(namespace)
        guard try await driver.exists(root) else { return ledger }
        let repositories = try RegistryLayout.repositories
        var linkDirectories: [(repository: String, directory: StoragePath)] = []
        try await driver.walk(root, startAfter: nil) { info in
            guard info.isDirectory else { return .proceed }
            let name = info.path.parent.components.dropFirst(repositories.components.count).joined(
                separator: "/")
            switch info.path.lastComponent {
            case "_layers":
                linkDirectories.append((name, info.path))
                return .skipDirectory
            case "_manifests":
                linkDirectories.append((name, try info.path.appending("revisions")))
                return .skipDirectory
            case let component where component.hasPrefix("_"):
                return .skipDirectory
            default:
                return .proceed
            }
        }
        var sizes: [OCIDigest: Int64?] = [:]
        for (repository, directory) in linkDirectories {
            for digest in try await linkedDigests(under: directory) {
                if sizes[digest] == nil { sizes[digest] = try await blobSize(digest) }
                if let size = sizes[digest] ?? nil { ledger.add(digest, size: size, to: repository) }
            }
        }
        return ledger
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
