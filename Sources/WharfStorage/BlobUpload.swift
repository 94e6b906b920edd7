public import Foundation
import NIOCore
public import WharfContent

/// A resumable blob upload: bytes are appended in order to a staging file on the driver,
/// and become a blob only when ``commit(digest:finalChunk:expectedOffset:)`` has checked
/// their digest.
///
/// All state lives on the driver (`_uploads/<id>/data` and `startedat`), so an upload
/// survives a process restart and can continue in another process; its offset is the size
/// of the staged data.
public struct BlobUpload: Sendable {
    /// The repository the blob is uploaded to.
    public let repository: RegistryRepository
    /// The upload's identifier, as used in the `Location` URL.
    public let id: String
    /// The algorithm the upload is hashed with as it arrives (others are recomputed at commit).
    public let algorithm: DigestAlgorithm

    var driver: any StorageDriver { repository.driver }
    var cacheKey: String { "\(repository.name)/\(id)" }

    func dataPath() throws -> StoragePath { try RegistryLayout.upload(repository.name, id).appending("data") }

    /// When the upload started (its `startedat` file, as Distribution writes it).
    public func startedAt() async throws -> Date {
        try await storeBoundary {
            let path = try RegistryLayout.upload(repository.name, id).appending("startedat")
            do {
                let text = String(buffer: try await driver.getContent(path, limit: 256))
                return RegistryRepository.parseTimestamp(text) ?? .distantPast
            } catch StorageError.notFound {
                throw RegistryStoreError.blobUploadUnknown(id)
            }
        }
    }

    /// The number of bytes received so far.
    public func offset() async throws -> Int64 {
        try await storeBoundary {
            guard let info = try await driver.statIfPresent(dataPath()) else {
                throw RegistryStoreError.blobUploadUnknown(id)
            }
            return info.size
        }
    }

    /// Appends `content`, which must start at `expectedOffset` when one is given (a chunk
    /// that does not start at the current size is refused with
    /// ``RegistryStoreError/rangeInvalid(currentSize:)``). Returns the new size.
    ///
    /// Bytes received before a failure (a dropped connection) stay: the client resumes from
    /// the offset it is told.
    @discardableResult
    public func append(_ content: ByteStream, expectedOffset: Int64? = nil) async throws -> Int64 {
        try await storeBoundary { try await append(content, expectedOffset: expectedOffset, creating: false) }
    }

    /// ``append(_:expectedOffset:)``; `creating` says the staging file does not exist yet
    /// and is made by this append (a single-request upload), so its absence is no sign of
    /// a cancelled upload.
    func append(_ content: ByteStream, expectedOffset: Int64?, creating: Bool) async throws -> Int64 {
        let path = try dataPath()
        // The append writer creates a missing file, which would bring back an upload
        // that was cancelled: it must exist unless this append creates it.
        if !creating {
            guard try await driver.exists(path) else { throw RegistryStoreError.blobUploadUnknown(id) }
        }
        let writer = try await driver.writer(path, append: true)
        let current = await writer.size
        if let expectedOffset, expectedOffset != current {
            try await writer.commit()
            throw RegistryStoreError.rangeInvalid(currentSize: current)
        }
        let state = try await hashState(at: current, algorithm: algorithm)
        let quotaCap = uploadCap()
        // Network bodies arrive in small pieces; gathering them into batches keeps the
        // per-write cost (a thread hop and a system call) negligible next to the bytes.
        var batch = ByteBuffer()
        let writes = OrderedWrites(writer: writer, depth: Self.writesInFlight)
        do {
            for try await var chunk in content.suppliedByCaller {
                if let cap = quotaCap,
                    state.offset + Int64(batch.readableBytes + chunk.readableBytes) > cap
                {
                    try? await writer.commit()
                    try? await cancel()
                    throw RegistryStoreError.denied(
                        "quota exceeded: upload to \(repository.name) would pass the repository or namespace limit"
                    )
                }
                if batch.readableBytes == 0 && chunk.readableBytes >= Self.writeBatchSize {
                    try await write(chunk, to: writes, state: state)
                    continue
                }
                batch.writeBuffer(&chunk)
                if batch.readableBytes >= Self.writeBatchSize {
                    try await write(batch, to: writes, state: state)
                    batch = ByteBuffer()
                }
            }
            if batch.readableBytes > 0 { try await write(batch, to: writes, state: state) }
            try await writes.finish()
            try await writer.commit()
        } catch {
            // Keep what arrived, batched bytes included: the client resumes from the size.
            // The hash ran ahead of the writes, so it is not kept: the next append
            // rebuilds it from the staged bytes.
            if (try? await writes.finish()) != nil, batch.readableBytes > 0 {
                try? await writer.write(batch)
            }
            try? await writer.commit()
            throw error
        }
        await repository.store.uploadHashes.checkIn(cacheKey, state)
        return state.offset
    }

    /// The size of the writes an append gathers incoming bytes into.
    static let writeBatchSize = 1 << 20
    /// How many batches may be on their way to the file while later ones are hashed.
    static let writesInFlight = 2

    /// Hands one batch to the ordered writes and hashes it meanwhile: hashing runs on this
    /// task and the writes on the I/O pool, so the two overlap on separate cores, and a
    /// write that waits for the disk does not hold up the hash.
    private func write(_ bytes: ByteBuffer, to writes: OrderedWrites, state: UploadHashState) async throws {
        try await writes.enqueue(bytes)
        state.hasher.update(bytes)
        state.offset += Int64(bytes.readableBytes)
    }

    /// Completes the upload: appends `finalChunk` if given, checks that the data hashes to
    /// `digest`, and moves it into the blob store (or, if the blob store already has the
    /// blob, discards the duplicate) and links it into the repository.
    ///
    /// A digest mismatch cancels the upload and stores nothing.
    @discardableResult
    public func commit(
        digest: OCIDigest, finalChunk: ByteStream? = nil, expectedOffset: Int64? = nil
    ) async throws
        -> Descriptor
    {
        try await storeBoundary {
            if let finalChunk {
                let size = try await append(finalChunk, expectedOffset: expectedOffset, creating: false)
                return try await complete(digest: digest, size: size)
            }
            do {
                return try await complete(digest: digest, size: try await offset())
            } catch RegistryStoreError.blobUploadUnknown(let unknown) where unknown == id {
                // A commit that failed after moving the data (the link could not be written on
                // a full disk) left the upload's directory and the blob: retrying links it.
                guard let finished = try await finishInterruptedCommit(digest: digest) else {
                    throw RegistryStoreError.blobUploadUnknown(id)
                }
                return finished
            }
        }
    }

    /// Completes a commit whose data already reached the blob store (the move succeeded,
    /// the link did not): `nil` when this is not such an upload.
    private func finishInterruptedCommit(digest: OCIDigest) async throws -> Descriptor? {
        let store = repository.store
        let directory = try RegistryLayout.upload(repository.name, id)
        guard try await driver.exists(directory), let size = try await store.blobSize(digest) else {
            return nil
        }
        try await store.withQuota(adding: digest, size: size, to: repository.name) {
            try await repository.linkBlob(digest)
        }
        try await driver.deleteIfPresent(directory)
        return Descriptor(mediaType: "application/octet-stream", digest: digest, size: size)
    }

    /// Turns the `size` staged bytes into the blob `digest`: checks the hash, moves the
    /// data into the blob store (or drops a duplicate) and links it into the repository.
    func complete(digest: OCIDigest, size: Int64) async throws -> Descriptor {
        let path = try dataPath()
        let state = try await hashState(at: size, algorithm: digest.algorithm)
        let actual = state.hasher.finalize()
        guard actual == digest else {
            try await cancel()
            throw RegistryStoreError.digestInvalid(expected: digest, actual: actual)
        }
        let store = repository.store
        do {
            try await store.withQuota(adding: digest, size: size, to: repository.name) {
                // One claim covers the move and the link: it is written before the blob store
                // is looked at, which is all the claim protocol needs (see GarbageCollector).
                // A move slower than GC's grace window (a copying backend, a tiny grace) can
                // still lose the race; then the presence check after the link fails the push
                // cleanly, never leaving a link to missing data.
                try await store.claim(digest)
                if try await store.blobSize(digest) == nil {
                    try await driver.move(from: path, to: RegistryLayout.blobData(digest))
                }
                try await repository.linkClaimedBlob(digest)
            }
        } catch RegistryStoreError.denied(let reason) {
            try? await cancel()
            throw RegistryStoreError.denied(reason)
        }
        try await driver.deleteIfPresent(RegistryLayout.upload(repository.name, id))
        store.options.logger.debug(
            "blob committed",
            metadata: ["repository": "\(repository.name)", "digest": "\(digest)", "size": "\(size)"])
        return Descriptor(mediaType: "application/octet-stream", digest: digest, size: size)
    }

    /// Abandons the upload and removes what it staged.
    public func cancel() async throws {
        try await storeBoundary {
            await repository.store.uploadHashes.discard(cacheKey)
            do {
                try await driver.delete(RegistryLayout.upload(repository.name, id))
            } catch StorageError.notFound {
                throw RegistryStoreError.blobUploadUnknown(id)  // never there, or removed meanwhile
            }
        }
    }

    /// The most bytes one upload may stage: the tightest applicable quota (`nil` without
    /// quotas). It stops a single upload from filling the disk past any limit while it
    /// streams; the exact check, which knows the digest and so whether the blob is already
    /// counted, runs at commit.
    private func uploadCap() -> Int64? {
        guard let quotas = repository.store.options.quotas else { return nil }
        let limits = [
            quotas.repositoryLimit(repository.name),
            quotas.namespaceLimit(QuotaPolicy.namespace(of: repository.name)),
        ]
        return limits.compactMap { $0 }.min()
    }

    /// A hash state covering exactly the first `offset` staged bytes with `algorithm`: the
    /// cached one when it fits, otherwise one rebuilt by reading the staged data.
    private func hashState(at offset: Int64, algorithm: DigestAlgorithm) async throws -> UploadHashState {
        if let cached = await repository.store.uploadHashes.checkOut(cacheKey),
            cached.offset == offset, cached.hasher.algorithm == algorithm
        {
            return cached
        }
        let state = UploadHashState(algorithm: algorithm)
        if offset > 0 {
            let staged: ByteStream
            do {
                staged = try await driver.reader(dataPath(), offset: 0)
            } catch StorageError.notFound {
                throw RegistryStoreError.blobUploadUnknown(id)  // committed or cancelled meanwhile
            }
            for try await chunk in staged.limited(to: offset) {
                state.hasher.update(chunk)
                state.offset += Int64(chunk.readableBytes)
            }
            guard state.offset == offset else {
                throw RegistryStoreError.blobUploadInvalid("staged data shrank while being read")
            }
        }
        return state
    }
}
