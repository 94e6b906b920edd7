import Foundation
public import HTTPTypes
public import Hummingbird
import Logging
import NIOCore
import WharfContent
import WharfStorage

/// An error as the distribution-spec returns it: an HTTP status and the body
/// `{"errors":[{"code","message","detail"}]}`.
///
/// It renders itself (Hummingbird's `HTTPResponseError`), so thrown from a route of an
/// embedding application it becomes the same answer ``RegistryResponder`` gives. Its
/// message is shown to clients: it never carries a server path or an internal detail.
public struct RegistryHTTPError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The distribution-spec error code.
    public var code: OCIErrorCode
    /// A message for the client.
    public var message: String
    /// Extra headers (a `Range` on 416, a challenge on 401).
    public var headers: HTTPFields

    /// Creates an error.
    public init(
        _ status: HTTPResponse.Status, code: OCIErrorCode, message: String, headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// `status CODE: message`.
    public var description: String { "\(status.code) \(code): \(message)" }

    /// The error as a response with the OCI error body.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The OCI error body.
    var body: ByteBuffer {
        struct Body: Encodable {
            struct Entry: Encodable {
                var code: OCIErrorCode
                var message: String
            }
            var errors: [Entry]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data =
            (try? encoder.encode(Body(errors: [.init(code: code, message: message)])))
            ?? Data(#"{"errors":[{"code":"UNKNOWN","message":"unencodable error"}]}"#.utf8)
        return ByteBuffer(bytes: data)
    }

    /// The error as a response.
    func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        let body = self.body
        headers[.contentLength] = String(body.readableBytes)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// 405 `UNSUPPORTED`: the method is not supported here.
    public static func unsupported(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.methodNotAllowed, code: .unsupported, message: message)
    }

    static func digestInvalid(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.badRequest, code: .digestInvalid, message: message)
    }

    static func paginationInvalid(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.badRequest, code: .paginationNumberInvalid, message: message)
    }

    /// 401 `UNAUTHORIZED` with a `WWW-Authenticate` `challenge`.
    public static func unauthorized(challenge: String, message: String) -> RegistryHTTPError {
        RegistryHTTPError(
            .unauthorized, code: .unauthorized, message: message, headers: [.wwwAuthenticate: challenge])
    }

    /// `value` as an RFC 9110 quoted-string (quotes and backslashes escaped), for the
    /// parameters of a challenge.
    public static func quotedString(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            + "\""
    }

    static func uploadInvalid(_ message: String, headers: HTTPFields = [:]) -> RegistryHTTPError {
        RegistryHTTPError(.badRequest, code: .blobUploadInvalid, message: message, headers: headers)
    }

    /// The one mapping of everything a request can fail with to what the client is told.
    ///
    /// Errors of the request (bad names, unknown blobs, quota) keep their message; failures
    /// of the registry itself (storage, corruption, anything unforeseen) are logged in full
    /// at `logger` and answered with a generic message: 507 when the storage is full (the
    /// request may succeed once space is freed, and an upload resumes where it stopped),
    /// 500 otherwise.
    public init(answering error: any Error, logger: Logger) {
        switch error {
        case let error as RegistryHTTPError:
            self = error
        case let error as RegistryStoreError:
            self.init(storeError: error, logger: logger)
        case let error as RequestBodyError:
            logger.debug("request body failed", metadata: ["error": "\(error.underlying)"])
            self.init(.badRequest, code: error.code, message: "the request body ended with an error")
        case is CancellationError:
            // The server is stopping (or the client is gone): nobody is failing here.
            logger.debug("request cancelled")
            self.init(.serviceUnavailable, code: .unavailable, message: "the registry is stopping; retry")
        default:
            logger.error("request failed", metadata: ["error": "\(error)", "type": "\(type(of: error))"])
            self.init(.internalServerError, code: .unknown, message: "internal error")
        }
    }

    private init(storeError error: RegistryStoreError, logger: Logger) {
        let status: HTTPResponse.Status
        switch error {
        case .nameInvalid, .blobUploadInvalid, .digestInvalid, .digestMalformed, .manifestInvalid,
            .manifestBlobUnknown, .tagInvalid:
            status = .badRequest
        case .nameUnknown, .blobUnknown, .blobUploadUnknown, .manifestUnknown:
            status = .notFound
        case .rangeInvalid(let size):
            self.init(
                .rangeNotSatisfiable, code: error.code, message: "\(error)",
                headers: [.uploadRange: "0-\(max(size - 1, 0))"])
            return
        case .manifestTooLarge:
            status = .contentTooLarge
        case .denied:
            status = .forbidden
        case .tagImmutable:
            status = .preconditionFailed  // as Harbor answers a push to an immutable tag
        case .blobCorrupted:
            logger.error("stored content is corrupted", metadata: ["error": "\(error)"])
            self.init(.internalServerError, code: .unknown, message: "stored content is corrupted")
            return
        case .storage(.outOfSpace):
            logger.error("storage is full", metadata: ["error": "\(error)"])
            self.init(
                HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage"), code: .unknown,
                message: "the registry's storage is full; retry once space is freed")
            return
        case .storage(.invalidPath):
            self.init(.badRequest, code: .nameInvalid, message: "invalid name")
            return
        case .storage:
            logger.error("storage failure", metadata: ["error": "\(error)"])
            self.init(.internalServerError, code: .unknown, message: "storage failure")
            return
        }
        self.init(status, code: error.code, message: "\(error)")
    }
}

/// The request's own body failed while the registry read it (the client went away, or
/// its framing broke): the request's fault, not the registry's.
struct RequestBodyError: Error {
    let underlying: any Error
    /// The code of what the body was: a blob's chunk, or a manifest.
    var code: OCIErrorCode = .blobUploadInvalid
}

extension ByteStream {
    /// A request body whose failures are marked as the request's (``RequestBodyError``).
    init(requestBody body: RequestBody) {
        self = ByteStream(body).mapError { RequestBodyError(underlying: $0) }
    }
}
