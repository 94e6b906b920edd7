import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfImage
import WharfStorage

extension RegistryResponder {
    /// `GET /v2/_catalog?n=&last=`
    func catalog(_ request: Request) async throws -> Response {
        let pagination = try Pagination(request)
        let names = try await store.catalog(limit: pagination.fetchLimit, after: pagination.last)
        let (page, link) = pagination.page(names, path: "/v2/_catalog")
        return try json(["repositories": page], link: link)
    }

    /// `GET /v2/<name>/tags/list?n=&last=`
    func tags(_ repository: RegistryRepository, request: Request) async throws -> Response {
        let pagination = try Pagination(request)
        guard
            let tags = try await repository.tagsIfRepositoryExists(
                limit: pagination.fetchLimit, after: pagination.last)
        else { throw RegistryStoreError.nameUnknown(repository.name) }
        let (page, link) = pagination.page(tags, path: "/v2/\(repository.name)/tags/list")
        return try json(TagList(name: repository.name, tags: page), link: link)
    }

    /// `GET /v2/<name>/referrers/<digest>[?artifactType=]`: an image index of the manifests
    /// whose subject is `digest` (an empty index for an unknown subject).
    func referrers(
        _ repository: RegistryRepository, digest text: String, request: Request
    ) async throws -> Response {
        let digest = try parseDigest(text)
        let query = request.uri.queryParameters
        let artifactType = query.get("artifactType").map { OCIMediaType(rawValue: $0) }
        var referrers = try await repository.referrers(of: digest, artifactType: artifactType)
        let pagination = try Pagination(request)
        if let last = pagination.last {
            referrers = referrers.filter { $0.digest.description > last }
        }
        let size = pagination.limit ?? Pagination.maximumPageSize
        var link: String?
        if referrers.count > size, let lastShown = referrers.prefix(size).last {
            let filter =
                artifactType.map {
                    "&artifactType=\($0.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                } ?? ""
            link =
                "</v2/\(repository.name)/referrers/\(digest)?n=\(size)&last=\(lastShown.digest)\(filter)>; rel=\"next\""
        }
        let index = ImageIndex(manifests: Array(referrers.prefix(size)))
        var headers: HTTPFields = [.contentType: OCIMediaType.ociIndex.rawValue]
        if artifactType != nil { headers[.ociFiltersApplied] = "artifactType" }
        if let link { headers[.link] = link }
        let body = ByteBuffer(bytes: try index.encoded())
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private struct TagList: Encodable {
        var name: String
        var tags: [String]
    }

    private func json(_ value: some Encodable, link: String?) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = ByteBuffer(bytes: try encoder.encode(value))
        var headers: HTTPFields = [
            .contentType: "application/json", .contentLength: String(body.readableBytes),
        ]
        if let link { headers[.link] = link }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}
