import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import WharfContent
import WharfImage

/// How a blob reached the registry.
public enum BlobPushOutcome: Sendable, Equatable {
    /// The repository already had it.
    case existed
    /// It was linked from another repository of the same registry.
    case mounted(from: String)
    /// Its bytes were uploaded.
    case uploaded
}

/// An upload session on a registry: where it lives and how many bytes it holds.
public struct UploadSession: Sendable, Equatable, Codable {
    /// The upload's URL (the last `Location` the registry gave).
    public var location: String
    /// The bytes the registry has received.
    public var offset: Int64
    /// The smallest chunk the registry wants, except the last (`OCI-Chunk-Min-Length`).
    public var minimumChunkLength: Int?
}

extension RemoteRepository {
    /// Stores `descriptor`'s bytes: a manifest by digest, or a blob (skipped when present).
    public func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        if descriptor.mediaType.isManifest {
            try await pushManifest(descriptor, content: content, reference: descriptor.digest.description)
        } else {
            // A copy asked `exists` already; the registry deduplicates anyway.
            _ = try await transferBlob(descriptor, content: content, mountFrom: nil)
        }
    }

    /// Puts a manifest's exact bytes under `reference`: the `ReferencePusher` capability,
    /// which lets a copy store and tag its root in one request.
    public func push(_ descriptor: Descriptor, content: ByteStream, reference: String) async throws {
        try await pushManifest(descriptor, content: content, reference: reference)
    }

    /// Puts a manifest's exact bytes under `reference` (a tag or its digest).
    public func pushManifest(_ descriptor: Descriptor, content: ByteStream, reference: String) async throws {
        guard descriptor.size <= client.configuration.manifestSizeLimit else {
            throw ContentError.tooLarge(limit: Int64(client.configuration.manifestSizeLimit))
        }
        let bytes = try await ByteStream(content.verified(digest: descriptor.digest, size: descriptor.size))
            .collect(upTo: client.configuration.manifestSizeLimit)
        let response = try await client.send(
            RegistryRequest(
                .PUT, "/v2/\(name)/manifests/\(reference)", scopes: pushScope, expected: [201, 200],
                headers: ["Content-Type": descriptor.mediaType.rawValue], body: { .bytes(bytes) }))
        if let returned = response.headers.first(name: "Docker-Content-Digest"),
            returned != descriptor.digest.description
        {
            throw RegistryClientError(
                status: Int(response.status.code),
                message: "the registry stored the manifest as \(returned), not \(descriptor.digest)",
                isRetryable: false,
                request: "PUT /v2/\(name)/manifests/\(reference)")
        }
        // A registry without the referrers API does not answer OCI-Subject; then the
        // client keeps the subject's referrers in the tag schema's index, as the spec says.
        let edges = try ContentGraph.edges(
            of: descriptor, content: ByteBuffer(bytes: Array(bytes.readableBytesView)))
        if let subject = edges.subject, response.headers.first(name: "OCI-Subject") == nil {
            var entry = Descriptor(
                mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size)
            entry.artifactType = edges.artifactType
            entry.annotations = edges.annotations
            try await addToReferrersTag(entry, subject: subject)
        }
    }

    /// Adds `entry` to the index tagged `<alg>-<hex>` of `subject`, creating it if needed.
    private func addToReferrersTag(_ entry: Descriptor, subject: Descriptor) async throws {
        let tag = Self.referrersTag(for: subject.digest)
        var manifests: [Descriptor] = []
        do {
            manifests = try ImageIndex.decode(Data(try await manifestDocument(tag).bytes)).manifests
        } catch ContentError.referenceNotFound {
            manifests = []
        }
        guard !manifests.contains(where: { $0.digest == entry.digest }) else { return }
        manifests.append(entry)
        let document = try ManifestDocument(ImageIndex(manifests: manifests))
        let indexBytes = [UInt8](document.bytes)
        _ = try await client.send(
            RegistryRequest(
                .PUT, "/v2/\(name)/manifests/\(tag)", scopes: pushScope, expected: [201, 200],
                headers: ["Content-Type": OCIMediaType.ociIndex.rawValue], body: { .bytes(indexBytes) }))
    }

    /// The tag schema's name for a subject's referrers index: `sha256-<hex>`.
    static func referrersTag(for digest: OCIDigest) -> String {
        "\(digest.algorithm.rawValue)-\(digest.encoded)"
    }

    /// Pushes a blob: nothing when the repository has it, a cross-repository mount when
    /// `mountFrom` (a sibling repository on this registry) has it, an upload otherwise —
    /// in one request up to the monolithic limit, in chunks beyond it. `content` is
    /// verified while it streams, so a corrupt source fails before the registry commits.
    public func pushBlob(
        _ descriptor: Descriptor, content: ByteStream, mountFrom: String? = nil
    ) async throws -> BlobPushOutcome {
        if try await exists(descriptor) { return .existed }
        return try await transferBlob(descriptor, content: content, mountFrom: mountFrom)
    }

    private func transferBlob(
        _ descriptor: Descriptor, content: ByteStream, mountFrom: String?
    ) async throws -> BlobPushOutcome {
        try await client.transfers.withPermit {
            try await uploadBlob(descriptor, content: content, mountFrom: mountFrom)
        }
    }

    private func uploadBlob(
        _ descriptor: Descriptor, content: ByteStream, mountFrom: String?
    ) async throws -> BlobPushOutcome {
        var target = "/v2/\(name)/blobs/uploads/"
        var scopes = pushScope
        if let mountFrom {
            target += "?mount=\(descriptor.digest)&from=\(mountFrom)"
            scopes.append("repository:\(mountFrom):pull")
        }
        let started = try await client.send(
            RegistryRequest(.POST, target, scopes: scopes, expected: [201, 202]))
        if started.status.code == 201, let mountFrom { return .mounted(from: mountFrom) }
        let session = try Self.session(from: started, offset: 0, request: target)
        try await upload(
            content.verified(digest: descriptor.digest, size: descriptor.size), descriptor: descriptor,
            into: session)
        return .uploaded
    }

    /// Opens an upload session, for uploads that should survive this process (store the
    /// session, and continue with ``resumeUpload(_:descriptor:content:)``).
    public func startUpload() async throws -> UploadSession {
        let target = "/v2/\(name)/blobs/uploads/"
        let response = try await client.send(
            RegistryRequest(.POST, target, scopes: pushScope, expected: [202]))
        return try Self.session(from: response, offset: 0, request: target)
    }

    /// Asks the registry how far an upload got (`GET` on its location).
    public func uploadStatus(_ session: UploadSession) async throws -> UploadSession {
        let response = try await client.send(
            RegistryRequest(.GET, session.location, scopes: pushScope, expected: [204, 200]))
        let range = response.headers.first(name: "Range") ?? ""
        var offset = range.split(separator: "-").last.flatMap { Int64($0) }.map { $0 + 1 } ?? 0
        // `Range: 0-0` means both "nothing yet" and "one byte"; registries send it for an
        // empty upload, so only a session known to hold a byte reads it as one.
        if range == "0-0" || range.isEmpty { offset = session.offset >= 1 ? 1 : 0 }
        return try Self.session(
            from: response, offset: offset, request: session.location, fallback: session.location,
            minimumChunkLength: session.minimumChunkLength)
    }

    /// Continues an upload another process (or an earlier attempt) started: asks the
    /// registry for its offset, skips that many bytes of `content` (the whole blob), and
    /// sends the rest.
    public func resumeUpload(
        _ session: UploadSession, descriptor: Descriptor, content: ByteStream
    ) async throws {
        let current = try await uploadStatus(session)
        let verified = content.verified(digest: descriptor.digest, size: descriptor.size)
        try await upload(verified, descriptor: descriptor, into: current, skipping: current.offset)
    }

    /// Sends `content` into `session`, the first `skipping` bytes already being there.
    private func upload<Content: AsyncSequence & Sendable>(
        _ content: Content, descriptor: Descriptor, into session: UploadSession, skipping: Int64 = 0
    ) async throws where Content.Element == ByteBuffer {
        let remaining = descriptor.size - skipping
        if skipping == 0, descriptor.size <= client.configuration.monolithicPushLimit {
            let response = try await client.send(
                RegistryRequest(
                    .PUT, Self.appending("digest=\(descriptor.digest)", to: session.location),
                    scopes: pushScope,
                    expected: [201],
                    headers: [
                        "Content-Type": "application/octet-stream", "Content-Length": String(descriptor.size),
                    ],
                    body: { .stream(ByteStream(content), length: .known(descriptor.size)) }, replayable: false
                ))
            try Self.checkDigest(response, descriptor)
            return
        }
        var session = session
        let chunkSize = max(client.configuration.chunkSize, session.minimumChunkLength ?? 0)
        var chunk = ByteBuffer()
        var position: Int64 = 0
        for try await var piece in content {
            // Drop what the registry already has.
            if position < skipping {
                let skip = Int(min(skipping - position, Int64(piece.readableBytes)))
                piece.moveReaderIndex(forwardBy: skip)
                position += Int64(skip)
            }
            position += Int64(piece.readableBytes)
            chunk.writeBuffer(&piece)
            // The verified stream withholds its last piece until the digest checks out,
            // so a full chunk here is never the final one and may leave at once.
            while chunk.readableBytes >= chunkSize, let slice = chunk.readSlice(length: chunkSize) {
                session = try await sendChunk(slice, session: session)
                chunk.discardReadBytes()
            }
        }
        guard remaining >= 0 else {
            throw ContentError.sizeMismatch(expected: descriptor.size, actual: skipping)
        }
        if chunk.readableBytes > 0 { session = try await sendChunk(chunk, session: session) }
        let response = try await client.send(
            RegistryRequest(
                .PUT, Self.appending("digest=\(descriptor.digest)", to: session.location), scopes: pushScope,
                expected: [201], headers: ["Content-Length": "0"]))
        try Self.checkDigest(response, descriptor)
    }

    /// PATCHes one chunk at the session's offset. The chunk is in memory, so a failed
    /// attempt is repeated from wherever the registry says the upload stands.
    private func sendChunk(_ chunk: ByteBuffer, session: UploadSession) async throws -> UploadSession {
        var session = session
        var attempt = 1
        while true {
            var remainder = chunk
            let start = session.offset
            let end = start + Int64(remainder.readableBytes) - 1
            let body = remainder.readSlice(length: remainder.readableBytes) ?? ByteBuffer()
            do {
                let response = try await client.send(
                    RegistryRequest(
                        .PATCH, session.location, scopes: pushScope, expected: [202],
                        headers: [
                            "Content-Type": "application/octet-stream", "Content-Range": "\(start)-\(end)",
                            "Content-Length": String(body.readableBytes),
                        ], body: { .bytes(body) }, replayable: false))
                return try Self.session(
                    from: response, offset: end + 1, request: session.location, fallback: session.location,
                    minimumChunkLength: session.minimumChunkLength)
            } catch let error as RegistryClientError
                where error.isRetryable && attempt < client.configuration.retry.maximumAttempts
            {
                try await Task.sleep(
                    for: client.configuration.retry.delay(afterAttempt: attempt, retryAfter: error.retryAfter)
                )
                attempt += 1
                let status = try await uploadStatus(session)
                guard status.offset == start else {
                    // Part of the chunk landed: the registry's offset decides what is left.
                    guard status.offset > start, status.offset <= end + 1 else { throw error }
                    var rest = chunk
                    rest.moveReaderIndex(forwardBy: Int(status.offset - start))
                    return try await sendChunk(rest, session: status)
                }
                session = status
            }
        }
    }

    private static func session(
        from response: HTTPClientResponse, offset: Int64, request: String, fallback: String? = nil,
        minimumChunkLength: Int? = nil
    ) throws -> UploadSession {
        guard let location = response.headers.first(name: "Location") ?? fallback else {
            throw RegistryClientError(
                status: Int(response.status.code), message: "the registry gave no upload Location",
                isRetryable: false,
                request: request)
        }
        let minimum =
            response.headers.first(name: "OCI-Chunk-Min-Length").flatMap(Int.init) ?? minimumChunkLength
        return UploadSession(location: location, offset: offset, minimumChunkLength: minimum)
    }

    private static func checkDigest(_ response: HTTPClientResponse, _ descriptor: Descriptor) throws {
        if let returned = response.headers.first(name: "Docker-Content-Digest"),
            returned != descriptor.digest.description
        {
            throw RegistryClientError(
                status: Int(response.status.code),
                message: "the registry stored \(returned), not \(descriptor.digest)",
                isRetryable: false, request: "PUT blob")
        }
    }

    /// Adds a query parameter to a URL that may already have a query (`?_state=...`).
    static func appending(_ parameter: String, to location: String) -> String {
        location + (location.contains("?") ? "&" : "?") + parameter
    }
}
