public import WharfContent
import WharfImage

extension RegistryRepository {
    /// The repository's tags in order, at most `limit`, starting after `last`.
    public func tags(limit: Int? = nil, after last: String? = nil) async throws -> [String] {
        try await storeBoundary {
            if limit == 0 { return [] }
            do {
                return Self.page(
                    try await driver.list(RegistryLayout.tags(name)).map(\.lastComponent), limit: limit,
                    after: last)
            } catch StorageError.notFound {
                return []
            }
        }
    }

    /// Points `tag` at a manifest revision of this repository. Refused when the tag is
    /// immutable and names another manifest (``TagImmutability``).
    public func setTag(_ tag: String, to digest: OCIDigest) async throws {
        try await store.repositoryLocks.withLock(name) {
            try await storeBoundary {
                try Self.validateTag(tag)
                guard try await driver.readLink(RegistryLayout.revisionLink(name, digest)) == digest else {
                    throw RegistryStoreError.manifestUnknown(digest.description)
                }
                try await ensureMutable(tag, pointingAt: digest)
                try await writeTag(tag, to: digest)
            }
        }
    }

    /// Writes a tag's links for a revision known to be stored (one just put), with a tag
    /// already validated and its mutability checked.
    func writeTag(_ tag: String, to digest: OCIDigest) async throws {
        try await storeBoundary {
            try await driver.writeLink(RegistryLayout.tagIndexLink(name, tag, digest), to: digest)
            try await driver.writeLink(RegistryLayout.tagCurrentLink(name, tag), to: digest)
        }
    }

    /// The tags, or `nil` when the repository does not exist (it holds nothing at all):
    /// one listing, and a look at the repository only when there are no tags.
    package func tagsIfRepositoryExists(limit: Int?, after last: String?) async throws -> [String]? {
        try await storeBoundary {
            do {
                let names = try await driver.list(RegistryLayout.tags(name)).map(\.lastComponent)
                return Self.page(names, limit: limit, after: last)
            } catch StorageError.notFound {
                return try await exists() ? [] : nil
            }
        }
    }

    static func page(_ tags: [String], limit: Int?, after last: String?) -> [String] {
        if limit == 0 { return [] }
        var result = tags.sorted().filter { tag in last.map { tag > $0 } ?? true }
        if let limit, result.count > limit { result = Array(result.prefix(limit)) }
        return result
    }

    /// Removes a tag (the manifest stays). Refused when the tag is immutable
    /// (``TagImmutability``).
    public func deleteTag(_ tag: String) async throws {
        try await store.repositoryLocks.withLock(name) {
            try await storeBoundary {
                try Self.validateTag(tag)
                try await ensureMutable(tag, pointingAt: nil)
                do {
                    try await driver.delete(RegistryLayout.tag(name, tag))
                } catch StorageError.notFound {
                    throw RegistryStoreError.manifestUnknown(tag)
                }
            }
        }
    }

    /// The digest `tag` points at, or `nil`.
    public func tagTarget(_ tag: String) async throws -> OCIDigest? {
        try await storeBoundary {
            try Self.validateTag(tag)
            return try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag))
        }
    }

    static func validateTag(_ tag: String) throws(RegistryStoreError) {
        do {
            try ImageReference.validateTag(tag)
        } catch {
            throw .tagInvalid(tag, reason: "\(error)")
        }
    }
}
