public import WharfContent

/// A repository is a content store: `copyGraph` and scanners work on server storage
/// exactly as on a layout or a remote registry.
///
/// Through these protocols the repository speaks the content-store contract: missing
/// content is `ContentError.notFound`, an unknown reference `ContentError.referenceNotFound`,
/// bytes that do not match their descriptor `ContentError.digestMismatch` or
/// `sizeMismatch` (and nothing is stored); every other failure is a `RegistryStoreError`.
extension RegistryRepository: ContentTarget, ContentDeleter, ReferrerLister, TagLister {
    /// Streams a manifest's exact bytes or a blob's bytes, verified.
    public func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        try await contentBoundary(descriptor) {
            if descriptor.mediaType.isManifest {
                return ByteStream(try await manifest(.digest(descriptor.digest)).bytes)
            }
            return try await readBlob(descriptor.digest).content
        }
    }

    /// Whether the repository has the manifest or blob.
    public func exists(_ descriptor: Descriptor) async throws -> Bool {
        try await storeBoundary {
            if descriptor.mediaType.isManifest {
                return try await driver.readLink(RegistryLayout.revisionLink(name, descriptor.digest))
                    == descriptor.digest
            }
            return try await blob(descriptor.digest) != nil
        }
    }

    /// Stores a manifest (by digest) or uploads a blob, verified either way: the upload
    /// hashes what arrives and the stream is held to the descriptor's size, so bytes that
    /// do not match are refused before anything becomes visible.
    public func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        try await contentBoundary(descriptor) {
            let content = content.sized(exactly: descriptor.size)
            if descriptor.mediaType.isManifest {
                let bytes = try await content.collect(upTo: store.options.manifestSizeLimit)
                try await putManifest(
                    bytes, mediaType: descriptor.mediaType, reference: .digest(descriptor.digest))
                return
            }
            if try await store.blobSize(descriptor.digest) == descriptor.size {
                // Deduplicated: the bytes are already stored.
                try await store.withQuota(adding: descriptor.digest, size: descriptor.size, to: name) {
                    try await linkBlob(descriptor.digest)
                }
                return
            }
            _ = try await uploadBlob(content, digest: descriptor.digest)
        }
    }

    /// The manifest a tag or digest names.
    public func resolve(_ reference: String) async throws -> Descriptor {
        do {
            return try await manifestDescriptor(reference)
        } catch RegistryStoreError.manifestUnknown {
            throw ContentError.referenceNotFound(reference, location: name)
        }
    }

    /// Points a tag at a stored manifest.
    public func tag(_ descriptor: Descriptor, as reference: String) async throws {
        try await contentBoundary(descriptor) { try await setTag(reference, to: descriptor.digest) }
    }

    /// Deletes a manifest (with its tags) or unlinks a blob.
    public func delete(_ descriptor: Descriptor) async throws {
        try await contentBoundary(descriptor) {
            if descriptor.mediaType.isManifest {
                try await deleteManifest(descriptor.digest)
            } else {
                try await deleteBlob(descriptor.digest)
            }
        }
    }

    /// The referrers of a subject manifest.
    public func referrers(of subject: Descriptor, artifactType: OCIMediaType?) async throws -> [Descriptor] {
        try await referrers(of: subject.digest, artifactType: artifactType)
    }

    /// All tags, sorted.
    public func tags() async throws -> [String] {
        try await tags(limit: nil, after: nil)
    }

    /// Speaks the content-store contract about `descriptor`: the store's not-found and
    /// digest errors become `ContentError`s.
    private func contentBoundary<T>(_ descriptor: Descriptor, _ body: () async throws -> T) async throws -> T
    {
        do {
            return try await body()
        } catch RegistryStoreError.blobUnknown(let digest) where digest == descriptor.digest {
            throw ContentError.notFound(digest, location: name)
        } catch RegistryStoreError.manifestUnknown(let reference)
            where reference == descriptor.digest.description
        {
            throw ContentError.notFound(descriptor.digest, location: name)
        } catch RegistryStoreError.digestInvalid(let expected, let actual) {
            throw ContentError.digestMismatch(expected: expected, actual: actual)
        } catch ContentError.tooLarge where descriptor.mediaType.isManifest {
            throw RegistryStoreError.manifestTooLarge(limit: store.options.manifestSizeLimit)
        }
    }
}
