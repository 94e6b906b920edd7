import AsyncHTTPClient
import Foundation
import NIOHTTP1
public import WharfContent

extension RemoteRepository {
    /// Streams the bytes of `descriptor`, verified against its digest and size. Blob
    /// downloads resume after dropped connections.
    public func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        if descriptor.mediaType.isManifest {
            let response = try await notFoundAsContentError(descriptor) {
                try await client.send(
                    RegistryRequest(
                        .GET, "/v2/\(name)/manifests/\(descriptor.digest)", scopes: pullScope,
                        expected: [200],
                        headers: ["Accept": Self.acceptHeader]))
            }
            guard descriptor.size <= client.configuration.manifestSizeLimit else {
                throw ContentError.tooLarge(limit: Int64(client.configuration.manifestSizeLimit))
            }
            return ByteStream(
                ByteStream(response.body).verified(digest: descriptor.digest, size: descriptor.size))
        }
        let path = "/v2/\(name)/blobs/\(descriptor.digest)"
        let first = try await notFoundAsContentError(descriptor) {
            try await client.send(RegistryRequest(.GET, path, scopes: pullScope, expected: [200]))
        }
        let registry = self.client
        let scopes = pullScope
        let download = ResumingDownload(
            open: { offset in
                let response = try await registry.send(
                    RegistryRequest(
                        .GET, path, scopes: scopes, expected: [200, 206],
                        headers: ["Range": "bytes=\(offset)-"]))
                if response.status.code == 206 {
                    let range = response.headers.first(name: "Content-Range") ?? ""
                    guard let start = Self.rangeStart(range), start <= offset else {
                        throw RegistryClientError(
                            status: 206, message: "resumed download starts at the wrong offset (\(range))",
                            isRetryable: false, request: "GET \(path)")
                    }
                    return (response.body, start)
                }
                return (response.body, 0)
            }, size: descriptor.size, retry: registry.configuration.retry, first: first.body)
        return ByteStream(ByteStream(download).verified(digest: descriptor.digest, size: descriptor.size))
    }

    /// Whether the registry has `descriptor` in this repository (`HEAD`).
    public func exists(_ descriptor: Descriptor) async throws -> Bool {
        let endpoint = descriptor.mediaType.isManifest ? "manifests" : "blobs"
        var headers = HTTPHeaders()
        if descriptor.mediaType.isManifest { headers.add(name: "Accept", value: Self.acceptHeader) }
        let response = try await client.send(
            RegistryRequest(
                .HEAD, "/v2/\(name)/\(endpoint)/\(descriptor.digest)", scopes: pullScope,
                expected: [200, 404],
                headers: headers))
        return response.status.code == 200
    }

    /// Resolves a tag or digest to the descriptor of the manifest it names: `HEAD` first,
    /// `GET` when the registry's `HEAD` lacks the digest or media type.
    public func resolve(_ reference: String) async throws -> Descriptor {
        let target = "/v2/\(name)/manifests/\(reference)"
        let head = try await client.send(
            RegistryRequest(
                .HEAD, target, scopes: pullScope, expected: [200, 404], headers: ["Accept": Self.acceptHeader]
            ))
        if head.status.code == 404 { throw ContentError.referenceNotFound(reference, location: location) }
        if let digestText = head.headers.first(name: "Docker-Content-Digest"),
            let digest = try? OCIDigest(parsing: digestText),
            let type = head.headers.first(name: "Content-Type").map({
                OCIMediaType(rawValue: Self.bareMediaType($0))
            }),
            let length = head.headers.first(name: "Content-Length").flatMap(Int64.init)
        {
            if let pinned = try? OCIDigest(parsing: reference), pinned != digest {
                throw ContentError.digestMismatch(expected: pinned, actual: digest)
            }
            return Descriptor(mediaType: type, digest: digest, size: length)
        }
        return try await manifestDocument(reference).descriptor
    }

    /// The exact bytes and media type of the manifest `reference` names, checked against
    /// the digest when the reference is one.
    func manifestDocument(_ reference: String) async throws -> (descriptor: Descriptor, bytes: [UInt8]) {
        let response = try await client.send(
            RegistryRequest(
                .GET, "/v2/\(name)/manifests/\(reference)", scopes: pullScope, expected: [200, 404],
                headers: ["Accept": Self.acceptHeader]))
        if response.status.code == 404 { throw ContentError.referenceNotFound(reference, location: location) }
        let body = try await response.body.collect(upTo: client.configuration.manifestSizeLimit)
        let bytes = Array(body.readableBytesView)
        let type = response.headers.first(name: "Content-Type").map(Self.bareMediaType) ?? ""
        let generic = type.isEmpty || type == "application/json" || type == "application/octet-stream"
        let algorithm = (try? OCIDigest(parsing: reference))?.algorithm ?? .canonical
        let digest = DigestHasher.digest(of: bytes, algorithm: algorithm)
        if let pinned = try? OCIDigest(parsing: reference), pinned != digest {
            throw ContentError.digestMismatch(expected: pinned, actual: digest)
        }
        let mediaType = generic ? Self.sniffMediaType(bytes) : OCIMediaType(rawValue: type)
        return (Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count)), bytes)
    }

    /// `application/vnd.oci.image.manifest.v1+json; charset=utf-8` → the media type alone.
    static func bareMediaType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
    }

    /// A manifest served without a usable Content-Type names its type in `mediaType`.
    static func sniffMediaType(_ bytes: [UInt8]) -> OCIMediaType {
        struct Probe: Decodable { var mediaType: String? }
        if let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes)), let text = probe.mediaType,
            !text.isEmpty
        {
            return OCIMediaType(rawValue: text)
        }
        return .ociManifest
    }

    /// `bytes 100-199/200` → 100.
    static func rangeStart(_ contentRange: String) -> Int64? {
        guard let range = contentRange.split(separator: " ").last, let dash = range.firstIndex(of: "-") else {
            return nil
        }
        return Int64(range[..<dash])
    }

    func notFoundAsContentError<T>(_ descriptor: Descriptor, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RegistryClientError where error.status == 404 {
            throw ContentError.notFound(descriptor.digest, location: location)
        }
    }
}
