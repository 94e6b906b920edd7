import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Testing
import WharfClient
import WharfContent
import WharfServer
import WharfServerAuth
import WharfStorage
import WharfTestSupport

/// Answers blob GETs it may serve with a redirect to `storage`, as registries do with
/// object storage.
private struct RedirectingResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let inner: RegistryResponder<BasicRequestContext>
    let storage: String

    func respond(to request: Request, context: Context) async throws -> Response {
        let response = try await inner.respond(to: request, context: context)
        guard request.method == .get, request.uri.path.contains("/blobs/sha256:"), response.status == .ok,
            let digest = request.uri.path.split(separator: "/").last
        else { return response }
        return Response(
            status: .temporaryRedirect,
            headers: [.location: "http://\(storage)/objects/\(digest)", .contentLength: "0"])
    }
}

/// Object storage: serves blobs by digest and notes whether anyone sent it credentials.
private struct ObjectStorageResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let blobs: [String: [UInt8]]
    let sawAuthorization = RequestLog()

    func respond(to request: Request, context: Context) async throws -> Response {
        if let authorization = request.headers[.authorization] { sawAuthorization.record(authorization) }
        guard let digest = request.uri.path.split(separator: "/").last, let bytes = blobs[String(digest)]
        else {
            return Response(status: .notFound)
        }
        return Response(
            status: .ok, headers: [.contentLength: String(bytes.count)],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

@Suite("Redirects", .tags(.interop), .enabled(if: ExternalTool.htpasswd.shouldRun))
struct RedirectTests {
    @Test("a blob redirected to another origin is fetched there without the registry's credentials")
    func credentialsStayHome() async throws {
        let directory = try TemporaryDirectory()
        let users = try HtpasswdFile(
            contentsOf: try await AuthFixture.htpasswd(in: directory.path, users: [("alice", "alice-secret")])
        )
        let options = RegistryServerOptions(
            accessControl: BasicAccessControl(realm: "r", users: users))
        let store = RegistryStore(driver: InMemoryDriver())
        let layer = Array("redirected layer".utf8)
        let descriptor = Descriptor(mediaType: .ociLayer, bytes: layer)
        let storage = ObjectStorageResponder(blobs: [descriptor.digest.description: layer])
        let credentials = StaticCredentials(RegistryCredentials(username: "alice", password: "alice-secret"))
        try await withServer(storage) { storageAddress in
            let registry = RedirectingResponder(
                inner: RegistryResponder(store: store, options: options), storage: storageAddress)
            try await withServer(registry) { address in
                let repository = try testClient(address) { $0.credentials = credentials }.repository(
                    "team/app")
                try await repository.push(descriptor, content: ByteStream(ByteBuffer(bytes: layer)))
                let fetched = try await repository.fetch(descriptor).collect(upTo: 1 << 20)
                #expect(Array(fetched.readableBytesView) == layer)
            }
        }
        #expect(storage.sawAuthorization.all.isEmpty, "credentials leaked: \(storage.sawAuthorization.all)")
    }
}
