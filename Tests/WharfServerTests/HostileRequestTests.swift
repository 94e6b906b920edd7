import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

/// Thousands of seeded, mostly malformed requests against a registry that holds an image:
/// the server must answer each one with a client error or a success, never a 5xx; every
/// error must carry an OCI error body; and afterwards the image must still be served intact
/// and a new push must work.
@Suite("Hostile requests")
struct HostileRequestTests {
    @Test(
        "random malformed requests get 4xx answers with OCI bodies, and no stored byte is lost",
        arguments: [1, 2, 3])
    func randomRequests(seed: UInt64) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        try await withRegistry(store: store) { client in
            let image = try await Self.pushImage(client)
            var generator = SeededGenerator(seed: seed)
            var requests = HostileRequests(image: image)
            for index in 0..<1_500 {
                let request = requests.next(using: &generator)
                let response = try await client.send(
                    request.method, request.uri, headers: request.headers, body: request.body)
                // Upload locations are relative paths (`/v2/<name>/blobs/uploads/<id>`).
                if response.status == .accepted, let location = response.headers[.location] {
                    requests.remember(location: location)
                }
                let summary =
                    "#\(index) \(request.method) \(request.uri) \(request.headers) -> \(response.status)"
                #expect(
                    response.status.code < 500, "\(summary): \(String(buffer: response.body).prefix(300))")
                if response.status.code >= 400 && request.method != .head {
                    #expect(
                        !errorCodes(response).isEmpty,
                        "\(summary): \(String(buffer: response.body).prefix(300))")
                }
            }
            // Nothing the requests did may have damaged what was stored before them: the
            // manifest (unless a request deleted it, which is legitimate) and the bytes of
            // every blob in the blob store (a DELETE only unlinks; without GC they stay).
            let manifest = try await client.send(.get, "/v2/team/app/manifests/\(image.manifestDigest)")
            if manifest.status == .ok {
                #expect(
                    DigestHasher.digest(of: Array(manifest.body.readableBytesView)) == image.manifestDigest)
            }
            for (digest, bytes) in image.blobs {
                let stored = try await store.driver.getContent(
                    RegistryLayout.blobData(digest), limit: 1 << 20)
                #expect(stored == ByteBuffer(bytes: bytes), "blob \(digest)")
            }
            // And the registry still works.
            #expect(try await client.send(.get, "/v2/").status == .ok)
            let fresh = try await Self.pushImage(client, repository: "after/fuzz", seed: 99)
            let served = try await client.send(.get, "/v2/after/fuzz/manifests/v1")
            #expect(served.status == .ok)
            #expect(DigestHasher.digest(of: Array(served.body.readableBytesView)) == fresh.manifestDigest)
        }
    }

    /// What the hostile requests can aim at: a pushed one-layer image.
    struct PushedImage {
        var manifestDigest: OCIDigest
        var blobs: [(OCIDigest, [UInt8])]
    }

    static func pushImage(
        _ client: some TestClientProtocol, repository: String = "team/app", seed: UInt8 = 1
    ) async throws -> PushedImage {
        let layer = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(DigestHasher.digest(of: layer))"]}}"#
                .utf8)
        let layerDigest = try await client.pushBlob(layer, to: repository)
        let configDigest = try await client.pushBlob(config, to: repository)
        let manifest = try ManifestDocument(
            ImageManifest(
                config: Descriptor(mediaType: .ociConfig, bytes: config),
                layers: [Descriptor(mediaType: .ociLayer, bytes: layer)]))
        let response = try await client.putManifest(
            manifest.bytes, mediaType: manifest.descriptor.mediaType.rawValue, repository: repository,
            reference: "v1")
        guard response.status == .created else { throw HarnessFailure("manifest put: \(response.status)") }
        return PushedImage(
            manifestDigest: manifest.descriptor.digest, blobs: [(layerDigest, layer), (configDigest, config)])
    }
}

/// A generator of requests that mix valid and malformed parts: names, references,
/// digests, upload ids, query parameters, range headers and bodies.
struct HostileRequests {
    struct Request {
        var method: HTTPRequest.Method
        var uri: String
        var headers: HTTPFields = [:]
        var body: [UInt8]?
    }

    let image: HostileRequestTests.PushedImage
    /// Upload locations the server handed out, to be continued, cancelled or abused.
    private var uploads: [String] = []

    init(image: HostileRequestTests.PushedImage) { self.image = image }

    static let names = [
        "team/app", "team/other", "a", "A", "a/../b", "..", "a//b", "a%2Fb", "-a", "a-", "a__b", "a.b-c_d/e",
        String(repeating: "a", count: 300), "%C3%BC", "a/b/c/d/e/f/g", "_catalog", "v2", "a%00b",
        "a/_uploads",
        "team/app/blobs",
    ]

    func digest<G: RandomNumberGenerator>(using generator: inout G) -> String {
        let hex = "0123456789abcdef"
        func hexString(_ count: Int) -> String {
            String((0..<count).map { _ in hex.randomElement(using: &generator) ?? "0" })
        }
        switch Int.random(in: 0..<10, using: &generator) {
        case 0, 1, 2:
            return (image.blobs.randomElement(using: &generator)?.0 ?? image.manifestDigest).description
        case 3: return image.manifestDigest.description
        case 4: return "sha256:\(hexString(64))"
        case 5: return "sha512:\(hexString(128))"
        case 6: return "sha256:\(hexString(Int.random(in: 0..<70, using: &generator)))"
        case 7:
            return [
                "md5:abc", "sha256", "sha256:", ":", "SHA256:\(hexString(64))", "sha256:\(hexString(64))x",
            ]
            .randomElement(using: &generator) ?? ":"
        case 8: return "sha256:\(hexString(64).uppercased())"
        default: return "sha256+b64:\(hexString(43))"
        }
    }

    func reference<G: RandomNumberGenerator>(using generator: inout G) -> String {
        switch Int.random(in: 0..<6, using: &generator) {
        case 0, 1: return digest(using: &generator)
        case 2: return "v1"
        default:
            return [
                "latest", ".INVALID", "-x", String(repeating: "t", count: 129), "a%3Ab", "%2E%2E", "v1%00",
                "_", "Tag.1-_",
            ]
            .randomElement(using: &generator) ?? "v1"
        }
    }

    func number<G: RandomNumberGenerator>(using generator: inout G) -> String {
        ["0", "1", "2", "-1", "abc", "99999999999999999999", "", "1e3", "0x10", "10000"].randomElement(
            using: &generator) ?? "1"
    }

    func body<G: RandomNumberGenerator>(using generator: inout G) -> [UInt8]? {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0: return nil
        case 1: return []
        case 2:
            return (0..<Int.random(in: 1..<3000, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
        case 3: return Array(String(repeating: "[", count: 100_000).utf8)
        case 4:
            return Array(
                #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\#(digest(using: &generator))","size":-5},"layers":[]}"#
                    .utf8)
        case 5:
            return Array(
                #"{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"\#(digest(using: &generator))","size":9223372036854775807}]}"#
                    .utf8)
        case 6:
            return Array(
                #"{"schemaVersion":"2","layers":null,"subject":{"digest":"\#(digest(using: &generator))"}}"#
                    .utf8)
        default: return image.blobs.randomElement(using: &generator)?.1
        }
    }

    func headers<G: RandomNumberGenerator>(using generator: inout G) -> HTTPFields {
        var fields = HTTPFields()
        if Bool.random(using: &generator) {
            fields[.contentType] =
                [
                    "application/vnd.oci.image.manifest.v1+json", "application/vnd.oci.image.index.v1+json",
                    "application/octet-stream", "text/plain", "",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    "application/vnd.docker.distribution.manifest.v1+prettyjws",
                ].randomElement(using: &generator) ?? ""
        }
        if Bool.random(using: &generator) {
            fields[.registryRange] =
                [
                    "bytes=0-", "bytes=-0", "bytes=5-1", "bytes=a-b", "bytes=0-1,3-4", "bytes=-1",
                    "bytes=0-99999999999", "0-10", "bytes=99999999999999999999-",
                ]
                .randomElement(using: &generator) ?? ""
        }
        if Bool.random(using: &generator) {
            fields[.contentRange] =
                ["0-10", "bytes=0-10", "5-2", "-1-3", "0-99999999999999999999", "abc", "0-0", "1-1", "0-"]
                .randomElement(using: &generator) ?? ""
        }
        return fields
    }

    mutating func next<G: RandomNumberGenerator>(using generator: inout G) -> Request {
        let name =
            Bool.random(using: &generator) ? "team/app" : Self.names.randomElement(using: &generator) ?? "a"
        let headers = headers(using: &generator)
        let uri: String
        // The methods an endpoint answers; one in six requests uses any method instead.
        var allowed: [HTTPRequest.Method] = [.get, .head]
        switch Int.random(in: 0..<9, using: &generator) {
        case 0:
            uri = "/v2/\(name)/manifests/\(reference(using: &generator))"
            allowed = [.get, .head, .put, .put, .delete]
        case 1:
            uri = "/v2/\(name)/blobs/\(digest(using: &generator))"
            allowed = [.get, .head, .delete]
        case 2:
            allowed = [.post]
            let queries = [
                "", "?digest=\(digest(using: &generator))",
                "?mount=\(digest(using: &generator))&from=\(Self.names.randomElement(using: &generator) ?? "a")",
                "?mount=\(digest(using: &generator))",
                "?digest-algorithm=\(["sha512", "md5", "", "sha256"].randomElement(using: &generator) ?? "")",
                "?from=team/app",
            ]
            uri = "/v2/\(name)/blobs/uploads/\(queries.randomElement(using: &generator) ?? "")"
        case 3, 4:
            allowed = [.patch, .patch, .put, .get, .delete]
            let location =
                uploads.randomElement(using: &generator)
                ?? "/v2/\(name)/blobs/uploads/\(["x", "..%2F..", "00000000-0000-0000-0000-000000000000", "%00"].randomElement(using: &generator) ?? "x")"
            let query =
                Int.random(in: 0..<3, using: &generator) == 0 ? "" : "digest=\(digest(using: &generator))"
            uri = query.isEmpty ? location : location + (location.contains("?") ? "&" : "?") + query
        case 5:
            uri = "/v2/\(name)/tags/list?n=\(number(using: &generator))&last=\(reference(using: &generator))"
        case 6:
            uri =
                "/v2/_catalog?n=\(number(using: &generator))&last=\(Self.names.randomElement(using: &generator) ?? "")"
        case 7:
            uri =
                "/v2/\(name)/referrers/\(digest(using: &generator))?artifactType=\(["", "a/b", "%20", "application/vnd.example"].randomElement(using: &generator) ?? "")"
        default:
            uri =
                ["/v2/", "/v2", "/", "/v2/\(name)", "/v2/\(name)/", "/token", "/v2/\(name)/blobs/"]
                .randomElement(using: &generator) ?? "/"
        }
        let anyMethod: [HTTPRequest.Method] = [.get, .head, .put, .post, .patch, .delete, .options]
        let method =
            (Int.random(in: 0..<6, using: &generator) == 0 ? anyMethod : allowed).randomElement(
                using: &generator)
            ?? .get
        let body = method == .get || method == .head ? nil : body(using: &generator)
        return Request(method: method, uri: uri, headers: headers, body: body)
    }

    /// Remembers an upload location from a 202 answer, for later requests to reuse.
    mutating func remember(location: String) {
        uploads.append(location)
        if uploads.count > 20 { uploads.removeFirst() }
    }
}
