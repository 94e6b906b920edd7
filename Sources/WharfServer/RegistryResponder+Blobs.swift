import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfStorage

extension RegistryResponder {
    /// `GET`/`HEAD /v2/<name>/blobs/<digest>`, with single-range reads.
    func getBlob(
        _ repository: RegistryRepository, digest text: String, request: Request
    ) async throws -> Response {
        let digest = try parseDigest(text)
        guard let descriptor = try await repository.blob(digest) else {
            throw RegistryStoreError.blobUnknown(digest)
        }
        var headers: HTTPFields = [
            .contentType: "application/octet-stream", .dockerContentDigest: digest.description,
            .acceptRanges: "bytes", .eTag: "\"\(digest)\"",
        ]
        let size = descriptor.size
        switch ByteRangeRequest.resolve(request.headers[.range], size: size) {
        case .unsatisfiable:
            throw RegistryHTTPError(
                .rangeNotSatisfiable, code: .blobUnknown,
                message: "range not satisfiable for \(size) bytes",
                headers: [.contentRange: "bytes */\(size)"])
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(size)"
            headers[.contentLength] = String(range.count)
            if request.method == .head {
                return Response(status: .partialContent, headers: headers, body: ResponseBody())
            }
            let content = try await repository.readBlob(descriptor, range: range)
            return Response(
                status: .partialContent, headers: headers, body: ResponseBody(asyncSequence: content))
        case .whole:
            headers[.contentLength] = String(size)
            if request.method == .head {
                return Response(status: .ok, headers: headers, body: ResponseBody())
            }
            let content = try await repository.readBlob(descriptor)
            return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: content))
        }
    }

    /// `DELETE /v2/<name>/blobs/<digest>`: unlinks the blob from the repository.
    func deleteBlob(
        _ repository: RegistryRepository, digest text: String, origin: RequestOrigin
    ) async throws -> Response {
        let digest = try parseDigest(text)
        try await repository.deleteBlob(digest)
        invalidatePullGates(repository)  // a signature's payload may be gone
        options.activity?.recordAudit(
            origin.event(
                .delete, repository: repository.name, reference: text, digest: digest, detail: "blob"))
        return Response(
            status: .accepted, headers: [.contentLength: "0", .dockerContentDigest: digest.description])
    }
}
