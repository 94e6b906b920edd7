import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfStorage

extension RegistryResponder {
    /// `POST /v2/<name>/blobs/uploads/`: a cross-repository mount, a single-request upload
    /// (`?digest=`), or a new upload session.
    func startUpload(
        _ repository: RegistryRepository, request: Request, principal: RegistryPrincipal
    ) async throws -> Response {
        let query = request.uri.queryParameters
        if let mount = query.get("mount") {
            let digest = try parseDigest(mount)
            if let mounted = try await mountBlob(
                digest, into: repository, from: query.get("from"), principal: principal)
            {
                return blobCreated(repository, mounted)
            }
            // Not mountable: fall back to an ordinary upload session, as the spec says.
        }
        if let monolithic = query.get("digest") {
            let digest = try parseDigest(monolithic)
            let descriptor = try await repository.uploadBlob(
                ByteStream(requestBody: request.body), digest: digest)
            return blobCreated(repository, descriptor)
        }
        let algorithm =
            try query.get("digest-algorithm").map { name in
                guard let algorithm = DigestAlgorithm(rawValue: name) else {
                    throw RegistryHTTPError.digestInvalid("unsupported digest algorithm \(name)")
                }
                return algorithm
            } ?? .canonical
        let upload = try await repository.startUpload(algorithm: algorithm)
        var response = uploadAccepted(repository, id: upload.id, offset: 0, status: .accepted)
        if let minimum = options.minimumChunkLength {
            response.headers[.ociChunkMinLength] = String(minimum)
        }
        return response
    }

    /// `GET /v2/<name>/blobs/uploads/<id>`: the upload's progress.
    func uploadStatus(_ repository: RegistryRepository, id: String) async throws -> Response {
        let upload = try repository.upload(id)
        return uploadAccepted(repository, id: id, offset: try await upload.offset(), status: .noContent)
    }

    /// `PATCH /v2/<name>/blobs/uploads/<id>`: appends a chunk (with `Content-Range`) or
    /// streams the body (without).
    func patchUpload(_ repository: RegistryRepository, id: String, request: Request) async throws -> Response
    {
        let upload = try repository.upload(id)
        let offset = try await append(request, to: upload)
        return uploadAccepted(repository, id: id, offset: offset, status: .accepted)
    }

    /// `PUT /v2/<name>/blobs/uploads/<id>?digest=`: the optional last chunk, then the
    /// digest check that turns the upload into a blob. A last chunk with `Content-Range` is
    /// held to it exactly as a PATCH is, so a truncated chunk leaves the upload resumable.
    func finishUpload(_ repository: RegistryRepository, id: String, request: Request) async throws -> Response
    {
        let upload = try repository.upload(id)
        guard let text = request.uri.queryParameters.get("digest") else {
            throw RegistryHTTPError.digestInvalid(
                "the digest query parameter is required to complete an upload")
        }
        let digest = try parseDigest(text)
        if request.headers[.contentRange] != nil {
            _ = try await append(request, to: upload)
            return blobCreated(repository, try await upload.commit(digest: digest))
        }
        // An empty last request commits what was staged; a body is the last chunk.
        let empty = request.headers[.contentLength] == "0"
        let descriptor = try await upload.commit(
            digest: digest, finalChunk: empty ? nil : ByteStream(requestBody: request.body))
        return blobCreated(repository, descriptor)
    }

    /// Appends the request's body to `upload`: with `Content-Range`, exactly the chunk the
    /// header names, which must start at the upload's size and arrive whole; without, the
    /// whole body. Returns the upload's new size.
    private func append(_ request: Request, to upload: BlobUpload) async throws -> Int64 {
        var body = ByteStream(requestBody: request.body)
        guard let contentRange = request.headers[.contentRange] else {
            return try await upload.append(body)
        }
        guard let range = Self.parseChunkRange(contentRange) else {
            let current = try await upload.offset()
            throw RegistryHTTPError(
                .rangeNotSatisfiable, code: .blobUploadInvalid,
                message: "invalid Content-Range \(UntrustedText.quoted(contentRange))",
                headers: [.uploadRange: "0-\(max(current - 1, 0))"])
        }
        let length = range.upperBound - range.lowerBound + 1
        if let declared = request.headers[.contentLength].flatMap(Int64.init), declared != length {
            throw RegistryHTTPError.uploadInvalid(
                "Content-Length \(declared) does not match Content-Range \(UntrustedText.quoted(contentRange))"
            )
        }
        body = body.limited(to: length)
        let offset = try await upload.append(body, expectedOffset: range.lowerBound)
        guard offset == range.lowerBound + length else {
            throw RegistryHTTPError.uploadInvalid(
                "chunk ended after \(offset - range.lowerBound) of \(length) bytes")
        }
        return offset
    }

    /// `DELETE /v2/<name>/blobs/uploads/<id>`: abandons the upload.
    func cancelUpload(_ repository: RegistryRepository, id: String) async throws -> Response {
        try await repository.upload(id).cancel()
        return Response(status: .noContent, headers: [.contentLength: "0"])
    }

    /// Links a blob from another repository, if the client may read it there; `nil` sends
    /// the client to an ordinary upload instead.
    private func mountBlob(
        _ digest: OCIDigest, into repository: RegistryRepository, from source: String?,
        principal: RegistryPrincipal
    ) async throws
        -> Descriptor?
    {
        if let source {
            guard principal.actions(on: source).contains(.pull),
                let sourceRepository = try? store.repository(source)
            else { return nil }
            return try await repository.mountBlob(digest, from: sourceRepository)
        }
        // Without a source the blob may come from any repository: only for those who may
        // read them all (OCI's "automatic content discovery").
        guard options.allowsMountWithoutSource, principal.mayPullEveryRepository else { return nil }
        return try await repository.linkStoredBlob(digest)
    }

    private func blobCreated(_ repository: RegistryRepository, _ descriptor: Descriptor) -> Response {
        Response(
            status: .created,
            headers: [
                .location: "/v2/\(repository.name)/blobs/\(descriptor.digest)", .contentLength: "0",
                .dockerContentDigest: descriptor.digest.description,
            ])
    }

    private func uploadAccepted(
        _ repository: RegistryRepository, id: String, offset: Int64, status: HTTPResponse.Status
    )
        -> Response
    {
        Response(
            status: status,
            headers: [
                .location: "/v2/\(repository.name)/blobs/uploads/\(id)",
                .uploadRange: "0-\(max(offset - 1, 0))",
                .dockerUploadUUID: id, .contentLength: "0",
            ])
    }

    /// Parses `<start>-<end>` (optionally prefixed `bytes `), inclusive.
    static func parseChunkRange(_ text: String) -> ClosedRange<Int64>? {
        var value = Substring(text)
        if value.hasPrefix("bytes ") { value = value.dropFirst("bytes ".count) }
        if value.hasPrefix("bytes=") { value = value.dropFirst("bytes=".count) }
        if let slash = value.firstIndex(of: "/") { value = value[..<slash] }
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]), start >= 0,
            end >= start
        else {
            return nil
        }
        return start...end
    }
}
