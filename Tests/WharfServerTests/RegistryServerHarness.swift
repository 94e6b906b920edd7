import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import WharfContent
import WharfServer
import WharfStorage

/// Runs a registry over real HTTP on an ephemeral loopback port for the duration of `body`.
func withRegistry<T: Sendable>(
    store: RegistryStore = RegistryStore(driver: InMemoryDriver()),
    options: RegistryServerOptions = RegistryServerOptions(),
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = Application(
        responder: RegistryResponder<BasicRequestContext>(store: store, options: options),
        configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in try await body(client) }
}

extension TestClientProtocol {
    /// Sends a request and returns the response.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: [UInt8]? = nil
    ) async throws -> TestResponse {
        try await executeRequest(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
    }

    /// Uploads `bytes` in one POST and returns the digest.
    @discardableResult
    func pushBlob(_ bytes: [UInt8], to repository: String) async throws -> OCIDigest {
        let digest = DigestHasher.digest(of: bytes)
        let response = try await send(.post, "/v2/\(repository)/blobs/uploads/?digest=\(digest)", body: bytes)
        guard response.status == .created else {
            throw HarnessFailure("blob push: \(response.status) \(String(buffer: response.body))")
        }
        return digest
    }

    /// Puts manifest bytes under `reference`.
    func putManifest(
        _ bytes: Data, mediaType: String, repository: String, reference: String
    ) async throws -> TestResponse {
        try await send(
            .put, "/v2/\(repository)/manifests/\(reference)", headers: [.contentType: mediaType],
            body: Array(bytes))
    }
}

/// The distribution-spec error codes in a response body.
func errorCodes(_ response: TestResponse) -> [String] {
    struct Body: Decodable {
        struct Entry: Decodable { var code: String }
        var errors: [Entry]
    }
    return (try? JSONDecoder().decode(Body.self, from: Data(response.body.readableBytesView)))?.errors.map(
        \.code) ?? []
}

struct HarnessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// Constant, valid header names: the initializer cannot fail.
// swift-format-ignore: NeverForceUnwrap
extension HTTPField.Name {
    static let dockerContentDigest = Self("Docker-Content-Digest")!
    static let dockerUploadUUID = Self("Docker-Upload-UUID")!
    static let registryRange = Self("Range")!
    static let ociTag = Self("OCI-Tag")!
    static let ociSubject = Self("OCI-Subject")!
    static let ociFiltersApplied = Self("OCI-Filters-Applied")!
    static let link = Self("Link")!
    static let apiVersion = Self("Docker-Distribution-API-Version")!
}
