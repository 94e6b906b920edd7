package import Foundation
public import NIOCore
public import WharfContent
public import WharfImage

extension RegistryRepository {
    /// Stores a manifest or index under `reference` (a tag, or the digest the bytes must
    /// have) and returns the decoded document: its `descriptor`, its `subject`, ...
    ///
    /// The bytes are kept exactly. The put is refused when the manifest is too large or
    /// invalid, when a digest reference does not match, or when a blob or child manifest it
    /// references is not in the repository (a missing `subject` and non-distributable
    /// layers are allowed). A manifest with a `subject` is added to the subject's referrers.
    @discardableResult
    public func putManifest(
        _ bytes: ByteBuffer, mediaType: OCIMediaType?, reference: String
    ) async throws -> ManifestDocument {
        try await putManifest(
            bytes, mediaType: mediaType, reference: try ManifestReference(parsing: reference))
    }

    /// ``putManifest(_:mediaType:reference:)`` with the reference already parsed.
    @discardableResult
    public func putManifest(
        _ bytes: ByteBuffer, mediaType: OCIMediaType?, reference: ManifestReference
    ) async throws -> ManifestDocument {
        try await putManifest(bytes, mediaType: mediaType, reference: reference, additionalTags: [])
    }

    /// Stores a manifest under `reference` and also under `additionalTags` (validated tags:
    /// a push's `?tag=` parameters). Every tag's mutability is checked before anything is
    /// stored, so a refused push leaves nothing behind.
    @discardableResult
    package func putManifest(
        _ bytes: ByteBuffer, mediaType: OCIMediaType?, reference: ManifestReference, additionalTags: [String]
    ) async throws -> ManifestDocument {
        try await store.repositoryLocks.withLock(name) {
            try await storeBoundary {
                let limit = store.options.manifestSizeLimit
                guard bytes.readableBytes <= limit else {
                    throw RegistryStoreError.manifestTooLarge(limit: limit)
                }
                let data = Data(bytes.readableBytesView)
                var tag: String?
                var expectedDigest: OCIDigest?
                switch reference {
                case .tag(let name):
                    try Self.validateTag(name)  // the case can be made without parsing
                    tag = name
                case .digest(let digest): expectedDigest = digest
                }
                let algorithm = expectedDigest?.algorithm ?? .canonical
                let document: ManifestDocument
                do {
                    document = try ManifestDocument(bytes: data, mediaType: mediaType, algorithm: algorithm)
                } catch {
                    throw RegistryStoreError.manifestInvalid("\(error)")
                }
                let descriptor = document.descriptor
                if let expectedDigest, expectedDigest != descriptor.digest {
                    throw RegistryStoreError.digestInvalid(
                        expected: expectedDigest, actual: descriptor.digest)
                }
                for tag in (tag.map { [$0] } ?? []) + additionalTags {
                    try await ensureMutable(tag, pointingAt: descriptor.digest)
                }
                try await verifyReferences(of: document)
                try await store.withQuota(adding: descriptor.digest, size: descriptor.size, to: name) {
                    try await storeManifestBlob(descriptor.digest, bytes: bytes)
                    try await driver.writeLink(
                        RegistryLayout.revisionLink(name, descriptor.digest), to: descriptor.digest)
                }
                if let subject = document.subject {
                    try await driver.writeLink(
                        RegistryLayout.referrerLink(
                            name, subject: subject.digest, referrer: descriptor.digest),
                        to: descriptor.digest)
                }
                for tag in (tag.map { [$0] } ?? []) + additionalTags {
                    try await writeTag(tag, to: descriptor.digest)
                }
                return document
            }
        }
    }

    /// The descriptor and exact bytes of a manifest, by tag or digest; a reference that is
    /// neither names nothing (``RegistryStoreError/manifestUnknown(_:)``).
    public func manifest(_ reference: String) async throws -> (descriptor: Descriptor, bytes: ByteBuffer) {
        guard let parsed = try? ManifestReference(parsing: reference) else {
            throw RegistryStoreError.manifestUnknown(reference)
        }
        return try await manifest(parsed)
    }

    /// The descriptor and exact bytes of a manifest.
    public func manifest(
        _ reference: ManifestReference
    ) async throws -> (descriptor: Descriptor, bytes: ByteBuffer) {
        try await storeBoundary {
            let digest = try await resolveDigest(reference)
            guard try await driver.readLink(RegistryLayout.revisionLink(name, digest)) == digest else {
                throw RegistryStoreError.manifestUnknown(reference.description)
            }
            let content = try await manifestContent(digest)
            return (content.descriptor, content.bytes)
        }
    }

    /// The descriptor of a manifest, by tag or digest, without reading more than needed.
    public func manifestDescriptor(_ reference: String) async throws -> Descriptor {
        try await manifest(reference).descriptor
    }

    /// Deletes a manifest revision by digest, with every tag that points at it and its
    /// entry among its subject's referrers. Refused, deleting nothing, when an immutable
    /// tag points at it (``TagImmutability``).
    public func deleteManifest(_ digest: OCIDigest) async throws {
        try await deleteManifestReturningTags(digest)
    }

    /// ``deleteManifest(_:)``, returning the tags that went with the manifest; with
    /// `expectedTags`, refused (``RegistryStoreError/denied(_:)``) unless exactly those tags
    /// point at it, and with `linkedBefore`, unless its revision was last written before
    /// then: a deletion planned earlier never takes a tag moved onto the manifest, or a
    /// push of it, since.
    @discardableResult
    package func deleteManifestReturningTags(
        _ digest: OCIDigest, expectedTags: Set<String>? = nil, linkedBefore: Date? = nil
    ) async throws -> [String] {
        try await store.repositoryLocks.withLock(name) {
            try await storeBoundary {
                let link = try RegistryLayout.revisionLink(name, digest)
                guard try await driver.readLink(link) == digest else {
                    throw RegistryStoreError.manifestUnknown(digest.description)
                }
                if let linkedBefore, let written = try await driver.statIfPresent(link)?.modificationTime,
                    written > linkedBefore
                {
                    throw RegistryStoreError.denied(
                        "\(digest) was pushed again since the deletion was planned")
                }
                let subject = try? await manifestContent(digest).document.subject
                var pointing: [String] = []
                for tag in try await tags()
                where try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag)) == digest {
                    pointing.append(tag)
                }
                if let expectedTags, Set(pointing) != expectedTags {
                    throw RegistryStoreError.denied(
                        "the tags of \(digest) changed since the deletion was planned")
                }
                try ensureDeletable(tags: pointing)
                for tag in pointing {
                    try await driver.deleteIfPresent(RegistryLayout.tag(name, tag))
                }
                if let subject {
                    try await driver.deleteIfPresent(
                        RegistryLayout.referrerLink(name, subject: subject.digest, referrer: digest).parent)
                }
                try await driver.deleteIfPresent(link.parent)
                await store.unlinked(digest, from: name)
                return pointing
            }
        }
    }

    /// The digest a reference names (a digest names itself; a tag is one link read).
    func resolveDigest(_ reference: ManifestReference) async throws -> OCIDigest {
        switch reference {
        case .digest(let digest):
            return digest
        case .tag(let tag):
            guard (try? Self.validateTag(tag)) != nil,
                let digest = try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag))
            else { throw RegistryStoreError.manifestUnknown(tag) }
            return digest
        }
    }

    /// Reads a stored manifest blob in one storage call, verifies it (decoding it hashes
    /// it once) and works out its media type.
    func manifestContent(
        _ digest: OCIDigest
    ) async throws -> (descriptor: Descriptor, bytes: ByteBuffer, document: ManifestDocument) {
        let limit = max(store.options.manifestSizeLimit, 16 << 20)
        let bytes: ByteBuffer
        do {
            bytes = try await driver.getContent(RegistryLayout.blobData(digest), limit: limit)
        } catch StorageError.notFound {
            throw RegistryStoreError.blobUnknown(digest)
        } catch StorageError.tooLarge {
            throw RegistryStoreError.blobCorrupted(
                digest, reason: "a stored manifest is larger than \(limit) bytes")
        }
        let document: ManifestDocument
        do {
            document = try ManifestDocument(bytes: Data(bytes.readableBytesView), algorithm: digest.algorithm)
        } catch {
            throw RegistryStoreError.blobCorrupted(
                digest, reason: "stored manifest does not decode: \(error)")
        }
        guard document.descriptor.digest == digest else {
            throw RegistryStoreError.blobCorrupted(
                digest, reason: "stored bytes hash to \(document.descriptor.digest)")
        }
        return (document.descriptor, bytes, document)
    }

    private func verifyReferences(of document: ManifestDocument) async throws {
        switch document.content {
        case .manifest(let manifest):
            for descriptor in [manifest.config] + manifest.layers {
                if descriptor.mediaType.isNondistributable { continue }
                try await store.claim(descriptor.digest)
                guard try await blob(descriptor.digest) != nil else {
                    throw RegistryStoreError.manifestBlobUnknown(descriptor.digest)
                }
            }
        case .index(let index):
            for child in index.manifests {
                try await store.claim(child.digest)
                guard
                    try await driver.readLink(RegistryLayout.revisionLink(name, child.digest))
                        == child.digest,
                    try await store.blobSize(child.digest) != nil
                else { throw RegistryStoreError.manifestBlobUnknown(child.digest) }
            }
        }
    }

    private func storeManifestBlob(_ digest: OCIDigest, bytes: ByteBuffer) async throws {
        try await store.claim(digest)
        if try await store.blobSize(digest) == nil {
            try await driver.putContent(RegistryLayout.blobData(digest), bytes)
        }
        guard try await store.ensureBlobPresent(digest) else {
            throw RegistryStoreError.blobUnknown(digest)  // swept between write and check: the client retries
        }
    }
}
