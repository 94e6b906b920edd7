public import WharfContent

/// A repository is a content store (see DESIGN.md): `copy`, scanners and signers work on
/// server storage exactly as on a layout or a remote registry.
extension RegistryRepository: ContentTarget, ContentDeleter, ReferrerLister, TagLister {
    /// Streams a manifest's exact bytes or a blob's bytes, verified.
    public func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        if descriptor.mediaType.isManifest {
            return ByteStream(try await manifest(descriptor.digest.description).bytes)
        }
        return try await readBlob(descriptor.digest).content
    }

    /// Whether the repository has the manifest or blob.
    public func exists(_ descriptor: Descriptor) async throws -> Bool {
        if descriptor.mediaType.isManifest {
            return try await driver.readLink(RegistryLayout.revisionLink(name, descriptor.digest))
                == descriptor.digest
        }
        return try await blob(descriptor.digest) != nil
    }

    /// Stores a manifest (by digest) or uploads a blob, verified either way.
    public func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        if descriptor.mediaType.isManifest {
            let bytes = try await content.collect(upTo: store.options.manifestSizeLimit)
            try await putManifest(
                bytes, mediaType: descriptor.mediaType, reference: descriptor.digest.description)
            return
        }
        if try await store.blobSize(descriptor.digest) == descriptor.size {
            try await store.checkQuota(adding: descriptor.digest, size: descriptor.size, to: name)
            try await linkBlob(descriptor.digest)  // deduplicated: the bytes are already stored
            return
        }
        let upload = try await startUpload(algorithm: descriptor.digest.algorithm)
        do {
            let committed = try await upload.commit(digest: descriptor.digest, finalChunk: content)
            guard committed.size == descriptor.size else {
                throw ContentError.sizeMismatch(expected: descriptor.size, actual: committed.size)
            }
        } catch {
            try? await upload.cancel()
            throw error
        }
    }

    /// The manifest a tag or digest names.
    public func resolve(_ reference: String) async throws -> Descriptor {
        do {
            return try await manifestDescriptor(reference)
        } catch RegistryStoreError.manifestUnknown, RegistryStoreError.tagInvalid {
            throw ContentError.referenceNotFound(reference)
        }
    }

    /// Points a tag at a stored manifest.
    public func tag(_ descriptor: Descriptor, as reference: String) async throws {
        try await setTag(reference, to: descriptor.digest)
    }

    /// Deletes a manifest (with its tags) or unlinks a blob.
    public func delete(_ descriptor: Descriptor) async throws {
        if descriptor.mediaType.isManifest {
            try await deleteManifest(descriptor.digest)
        } else {
            try await deleteBlob(descriptor.digest)
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
}
