public import WharfContent

extension RegistryRepository {
    /// The descriptor of a blob linked into this repository, or `nil`. The media type is
    /// `application/octet-stream`: blobs carry none of their own.
    public func blob(_ digest: OCIDigest) async throws -> Descriptor? {
        try await storeBoundary {
            guard try await driver.readLink(RegistryLayout.layerLink(name, digest)) == digest,
                let size = try await store.blobSize(digest)
            else { return nil }
            return Descriptor(mediaType: "application/octet-stream", digest: digest, size: size)
        }
    }

    /// Streams a blob of this repository. The whole blob is verified against its digest
    /// and size as it streams, so corrupted storage fails the read instead of serving wrong
    /// bytes; a `range` read checks the blob's size.
    public func readBlob(
        _ digest: OCIDigest, range: Range<Int64>? = nil
    ) async throws -> (size: Int64, content: ByteStream) {
        try await storeBoundary {
            guard try await driver.readLink(RegistryLayout.layerLink(name, digest)) == digest else {
                throw RegistryStoreError.blobUnknown(digest)
            }
            return try await store.readBlob(digest, range: range)
        }
    }

    /// Streams a blob whose descriptor ``blob(_:)`` just returned, without looking it up
    /// again (one storage call instead of three): verified whole as it streams, or a range
    /// of it with its size checked. Fails with ``RegistryStoreError/blobUnknown(_:)`` when the
    /// blob was removed since. Not public: it trusts that the descriptor came from this
    /// repository's link, which only the caller that just read it knows.
    package func readBlob(_ descriptor: Descriptor, range: Range<Int64>? = nil) async throws -> ByteStream {
        try await storeBoundary {
            try await store.openBlob(descriptor.digest, size: descriptor.size, range: range)
        }
    }

    /// Removes the blob from this repository (the data stays for other repositories until
    /// garbage collection).
    public func deleteBlob(_ digest: OCIDigest) async throws {
        try await storeBoundary {
            let link = try RegistryLayout.layerLink(name, digest)
            guard try await driver.readLink(link) != nil else { throw RegistryStoreError.blobUnknown(digest) }
            do {
                try await driver.delete(link.parent)
            } catch StorageError.notFound {
                throw RegistryStoreError.blobUnknown(digest)  // deleted concurrently
            }
            await store.unlinked(digest, from: name)
        }
    }

    /// Links a blob of `source` into this repository without moving bytes; `nil` when
    /// `source` does not have it.
    public func mountBlob(_ digest: OCIDigest, from source: RegistryRepository) async throws -> Descriptor? {
        try await storeBoundary {
            guard let existing = try await source.blob(digest) else { return nil }
            try await store.withQuota(adding: digest, size: existing.size, to: name) {
                try await linkBlob(digest)
            }
            return existing
        }
    }

    /// Links a blob the blob store already holds, whichever repository it came from, into
    /// this one; `nil` when the store does not have it. This is the OCI 1.1 mount without a
    /// source repository: use it only where the caller may read any stored blob.
    public func linkStoredBlob(_ digest: OCIDigest) async throws -> Descriptor? {
        try await storeBoundary {
            guard let size = try await store.blobSize(digest) else { return nil }
            try await store.withQuota(adding: digest, size: size, to: name) { try await linkBlob(digest) }
            return Descriptor(mediaType: "application/octet-stream", digest: digest, size: size)
        }
    }

    /// Links a blob that the blob store holds into this repository, following the claim
    /// protocol that keeps a concurrent garbage collection from sweeping it.
    func linkBlob(_ digest: OCIDigest) async throws {
        try await store.claim(digest)
        try await linkClaimedBlob(digest)
    }

    /// Links a blob whose claim the caller has just written (see ``linkBlob(_:)``).
    func linkClaimedBlob(_ digest: OCIDigest) async throws {
        let link = try RegistryLayout.layerLink(name, digest)
        try await driver.writeLink(link, to: digest)
        guard try await store.ensureBlobPresent(digest) else {
            try await driver.deleteIfPresent(link.parent)
            throw RegistryStoreError.blobUnknown(digest)
        }
    }
}
