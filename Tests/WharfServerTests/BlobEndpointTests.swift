import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfStorage

@Suite("Blob and upload endpoints over HTTP")
struct BlobEndpointTests {
    static let blob = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 11) }
    static let digest = DigestHasher.digest(of: blob)

    @Test("GET /v2/ answers 200 {} with the API version header")
    func base() async throws {
        try await withRegistry { client in
            let response = try await client.send(.get, "/v2/")
            #expect(response.status == .ok)
            #expect(response.headers[.apiVersion] == "registry/2.0")
            #expect(String(buffer: response.body) == "{}")
        }
    }

    @Test("a single POST with ?digest= stores the blob; GET and HEAD serve it with digest and length")
    func monolithicPost() async throws {
        try await withRegistry { client in
            let post = try await client.send(
                .post, "/v2/team/app/blobs/uploads/?digest=\(Self.digest)", body: Self.blob)
            #expect(post.status == .created)
            #expect(post.headers[.location] == "/v2/team/app/blobs/\(Self.digest)")
            #expect(post.headers[.dockerContentDigest] == Self.digest.description)
            let get = try await client.send(.get, "/v2/team/app/blobs/\(Self.digest)")
            #expect(get.status == .ok)
            #expect(Array(get.body.readableBytesView) == Self.blob)
            #expect(get.headers[.dockerContentDigest] == Self.digest.description)
            let head = try await client.send(.head, "/v2/team/app/blobs/\(Self.digest)")
            #expect(head.status == .ok)
            #expect(head.headers[.contentLength] == String(Self.blob.count))
            #expect(head.body.readableBytes == 0)
        }
    }

    @Test(
        "a chunked upload: POST, PATCH with Content-Range, status, out-of-order 416, PUT with the last chunk")
    func chunkedUpload() async throws {
        try await withRegistry { client in
            let post = try await client.send(.post, "/v2/a/blobs/uploads/")
            #expect(post.status == .accepted)
            #expect(post.headers[.registryRange] == "0-0")
            let location = try #require(post.headers[.location])
            let first = try await client.send(
                .patch, location,
                headers: [.contentRange: "0-3999", .contentType: "application/octet-stream"],
                body: Array(Self.blob[..<4000]))
            #expect(first.status == .accepted)
            #expect(first.headers[.registryRange] == "0-3999")
            let repeated = try await client.send(
                .patch, location, headers: [.contentRange: "0-3999"], body: Array(Self.blob[..<4000]))
            #expect(repeated.status == .rangeNotSatisfiable)
            #expect(repeated.headers[.registryRange] == "0-3999")
            let status = try await client.send(.get, location)
            #expect(status.status == .noContent)
            #expect(status.headers[.registryRange] == "0-3999")
            #expect(status.headers[.dockerUploadUUID] != nil)
            let streamed = try await client.send(.patch, location, body: Array(Self.blob[4000..<7000]))
            #expect(streamed.headers[.registryRange] == "0-6999", "a PATCH without Content-Range streams")
            let put = try await client.send(
                .put, "\(location)?digest=\(Self.digest)", headers: [.contentRange: "7000-9999"],
                body: Array(Self.blob[7000...]))
            #expect(put.status == .created)
            let get = try await client.send(.get, "/v2/a/blobs/\(Self.digest)")
            #expect(Array(get.body.readableBytesView) == Self.blob)
            let gone = try await client.send(.get, location)
            #expect(gone.status == .notFound)
            #expect(errorCodes(gone) == ["BLOB_UPLOAD_UNKNOWN"])
        }
    }

    @Test("a wrong digest is refused with DIGEST_INVALID and nothing is stored")
    func wrongDigest() async throws {
        try await withRegistry { client in
            let other = DigestHasher.digest(of: Array("other".utf8))
            let post = try await client.send(.post, "/v2/a/blobs/uploads/")
            let location = try #require(post.headers[.location])
            let put = try await client.send(.put, "\(location)?digest=\(other)", body: Self.blob)
            #expect(put.status == .badRequest)
            #expect(errorCodes(put) == ["DIGEST_INVALID"])
            for digest in [other, Self.digest] {
                #expect(try await client.send(.head, "/v2/a/blobs/\(digest)").status == .notFound)
            }
            let noDigest = try await client.send(
                .put, try #require(try await client.send(.post, "/v2/a/blobs/uploads/").headers[.location]))
            #expect(errorCodes(noDigest) == ["DIGEST_INVALID"])
        }
    }

    @Test("an upload session belongs to its repository: continued through another it is BLOB_UPLOAD_UNKNOWN")
    func uploadBoundToRepository() async throws {
        try await withRegistry { client in
            let location = try #require(
                try await client.send(.post, "/v2/team/a/blobs/uploads/").headers[.location])
            let id = try #require(location.split(separator: "/").last.map(String.init))
            let elsewhere = "/v2/team/b/blobs/uploads/\(id)"
            for (method, body) in [
                (HTTPRequest.Method.patch, Self.blob), (.put, Self.blob), (.get, []), (.delete, []),
            ] {
                let target = method == .put ? elsewhere + "?digest=\(Self.digest)" : elsewhere
                let response = try await client.send(method, target, body: body.isEmpty ? nil : body)
                #expect(response.status == .notFound, "\(method)")
                #expect(errorCodes(response) == ["BLOB_UPLOAD_UNKNOWN"], "\(method)")
            }
            #expect(try await client.send(.get, "/v2/team/b/blobs/\(Self.digest)").status == .notFound)
            #expect(
                try await client.send(.get, location).status == .noContent, "the session in team/a is intact")
        }
    }

    @Test("an upload can be cancelled with DELETE")
    func cancelUpload() async throws {
        try await withRegistry { client in
            let location = try #require(
                try await client.send(.post, "/v2/a/blobs/uploads/").headers[.location])
            #expect(try await client.send(.delete, location).status == .noContent)
            let again = try await client.send(.delete, location)
            #expect(again.status == .notFound)
            #expect(errorCodes(again) == ["BLOB_UPLOAD_UNKNOWN"])
        }
    }

    @Test("range reads answer 206 with Content-Range, and 416 when unsatisfiable")
    func rangeReads() async throws {
        try await withRegistry { client in
            try await client.pushBlob(Self.blob, to: "a")
            let url = "/v2/a/blobs/\(Self.digest)"
            let middle = try await client.send(.get, url, headers: [.range: "bytes=10-19"])
            #expect(middle.status == .partialContent)
            #expect(middle.headers[.contentRange] == "bytes 10-19/10000")
            #expect(Array(middle.body.readableBytesView) == Array(Self.blob[10...19]))
            let suffix = try await client.send(.get, url, headers: [.range: "bytes=-5"])
            #expect(Array(suffix.body.readableBytesView) == Array(Self.blob[9995...]))
            let open = try await client.send(.get, url, headers: [.range: "bytes=9990-"])
            #expect(open.headers[.contentRange] == "bytes 9990-9999/10000")
            let beyond = try await client.send(.get, url, headers: [.range: "bytes=10000-"])
            #expect(beyond.status == .rangeNotSatisfiable)
            #expect(beyond.headers[.contentRange] == "bytes */10000")
        }
    }

    @Test("cross-repository mount: 201 from a repository that has the blob, an upload session otherwise")
    func mount() async throws {
        try await withRegistry { client in
            try await client.pushBlob(Self.blob, to: "source")
            let mounted = try await client.send(
                .post, "/v2/target/blobs/uploads/?mount=\(Self.digest)&from=source")
            #expect(mounted.status == .created)
            #expect(mounted.headers[.location] == "/v2/target/blobs/\(Self.digest)")
            #expect(try await client.send(.head, "/v2/target/blobs/\(Self.digest)").status == .ok)
            let fallback = try await client.send(
                .post, "/v2/target2/blobs/uploads/?mount=\(Self.digest)&from=empty")
            #expect(fallback.status == .accepted)
            let withoutSource = try await client.send(
                .post, "/v2/target3/blobs/uploads/?mount=\(Self.digest)")
            #expect(withoutSource.status == .created)
        }
    }

    @Test("?digest-algorithm=sha512 uploads commit under a sha512 digest")
    func sha512() async throws {
        try await withRegistry { client in
            let digest = DigestHasher.digest(of: Self.blob, algorithm: .sha512)
            let location = try #require(
                try await client.send(.post, "/v2/a/blobs/uploads/?digest-algorithm=sha512").headers[
                    .location])
            let put = try await client.send(.put, "\(location)?digest=\(digest)", body: Self.blob)
            #expect(put.status == .created)
            #expect(
                Array(try await client.send(.get, "/v2/a/blobs/\(digest)").body.readableBytesView)
                    == Self.blob)
        }
    }

    @Test("DELETE of a blob unlinks it: 202, then 404 BLOB_UNKNOWN")
    func deleteBlob() async throws {
        try await withRegistry { client in
            try await client.pushBlob(Self.blob, to: "a")
            #expect(try await client.send(.delete, "/v2/a/blobs/\(Self.digest)").status == .accepted)
            let after = try await client.send(.get, "/v2/a/blobs/\(Self.digest)")
            #expect(after.status == .notFound)
            #expect(errorCodes(after) == ["BLOB_UNKNOWN"])
        }
    }

    @Test("bad names, digests, endpoints and methods get OCI error bodies, never bare pages")
    func errorsHaveBodies() async throws {
        try await withRegistry { client in
            let cases: [(HTTPRequest.Method, String, HTTPResponse.Status, String)] = [
                (.get, "/v2/UPPER/blobs/\(Self.digest)", .badRequest, "NAME_INVALID"),
                (.get, "/v2/a/blobs/sha256:nothex", .badRequest, "DIGEST_INVALID"),
                (.get, "/v2/a/blobs/\(Self.digest)", .notFound, "BLOB_UNKNOWN"),
                (.get, "/v2/a/manifests/-bad-tag", .notFound, "MANIFEST_UNKNOWN"),
                (.get, "/v2/a/manifests/.INVALID_MANIFEST_NAME", .notFound, "MANIFEST_UNKNOWN"),
                (.delete, "/v2/a/manifests/sha256:nothex", .notFound, "MANIFEST_UNKNOWN"),
                (.put, "/v2/a/manifests/-bad-tag", .badRequest, "TAG_INVALID"),
                (.get, "/v2/a/manifests/latest", .notFound, "MANIFEST_UNKNOWN"),
                (.get, "/v2/a/nonsense", .notFound, "UNSUPPORTED"),
                (.get, "/elsewhere", .notFound, "UNSUPPORTED"),
                (.post, "/v2/a/tags/list", .methodNotAllowed, "UNSUPPORTED"),
                (.get, "/v2/a/blobs/uploads/..%2F..", .notFound, "BLOB_UPLOAD_UNKNOWN"),
                (.get, "/v2/../../etc/tags/list", .badRequest, "NAME_INVALID"),
            ]
            for (method, uri, status, code) in cases {
                let response = try await client.send(method, uri)
                #expect(response.status == status, "\(method) \(uri)")
                #expect(errorCodes(response) == [code], "\(method) \(uri): \(String(buffer: response.body))")
                #expect(response.headers[.contentType] == "application/json")
            }
        }
    }
}
