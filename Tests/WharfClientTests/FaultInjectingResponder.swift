import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfServer
import WharfStorage

/// A Wharf registry that misbehaves on purpose, the way networks and overloaded or broken
/// registries do, and records what clients asked.
struct FaultInjectingResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    enum Fault: Sendable {
        /// None: only record requests.
        case none
        /// The first `count` manifest requests get 429 with `Retry-After: <seconds>`.
        case tooManyRequests(count: Int, retryAfterSeconds: Int)
        /// Blob GETs serve the right length with one byte changed.
        case corruptBlobs
    }

    let inner: RegistryResponder<BasicRequestContext>
    let fault: Fault
    let log = RequestLog()

    init(store: RegistryStore, options: RegistryServerOptions = RegistryServerOptions(), fault: Fault) {
        inner = RegistryResponder(store: store, options: options)
        self.fault = fault
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        let isBlobGet = request.method == .get && path.contains("/blobs/sha256:")
        let isManifest = path.contains("/manifests/")
        log.record(
            request.method.rawValue + " " + path + (request.headers[.range].map { " " + $0 } ?? "")
                + (request.headers[.contentRange].map { " content-range=" + $0 } ?? ""))
        switch fault {
        case .tooManyRequests(let count, let seconds)
        where isManifest && log.count(matching: "/manifests/") <= count:
            let body = ByteBuffer(string: #"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#)
            return Response(
                status: .tooManyRequests,
                headers: [
                    .retryAfter: String(seconds), .contentType: "application/json",
                    .contentLength: String(body.readableBytes),
                ],
                body: ResponseBody(byteBuffer: body))
        case .corruptBlobs where isBlobGet:
            var response = try await inner.respond(to: request, context: context)
            let flipped = ByteCounter()
            response.body = response.body.map { buffer in
                var copy = buffer
                if flipped.add(1) == 0, copy.readableBytes > 0 {
                    let byte = copy.getInteger(at: copy.readerIndex, as: UInt8.self) ?? 0
                    copy.setInteger(byte ^ 0xFF, at: copy.readerIndex)
                }
                return copy
            }
            return response
        default:
            return try await inner.respond(to: request, context: context)
        }
    }
}

/// The requests a server saw.
final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func record(_ line: String) {
        lock.withLock { lines.append(line) }
    }

    var all: [String] { lock.withLock { lines } }

    func count(matching fragment: String) -> Int {
        lock.withLock { lines.filter { $0.contains(fragment) }.count }
    }
}

/// A running total shared by a response body's chunks.
final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    /// Adds `count` and returns the total before it.
    func add(_ count: Int) -> Int {
        lock.withLock {
            defer { total += count }
            return total
        }
    }
}
