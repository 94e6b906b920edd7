import WharfContent

/// One repository of a ``RegistryStore``: its blobs, uploads, manifests, tags and referrers.
///
/// A value is cheap; it names the repository and holds no state of its own. The API areas
/// live in one extension file each.
public struct RegistryRepository: Sendable {
    /// The store the repository belongs to.
    public let store: RegistryStore
    /// The repository's name (`library/alpine`).
    public let name: String

    var driver: any StorageDriver { store.driver }

    /// Whether the repository holds anything (a manifest, a linked blob or an upload).
    public func exists() async throws -> Bool {
        try await storeBoundary {
            try await driver.exists(RegistryLayout.repository(name))
        }
    }
}
