import Foundation
public import HTTPTypes
import Hummingbird
import NIOCore
import WharfContent
import WharfStorage

/// An error as the distribution-spec returns it: an HTTP status and the body
/// `{"errors":[{"code","message","detail"}]}`.
public struct RegistryHTTPError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// The distribution-spec error code (`BLOB_UNKNOWN`, `NAME_INVALID`, ...).
    public var code: String
    /// A human-readable message.
    public var message: String
    /// Extra headers (a `Range` on 416, a challenge on 401).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// The OCI error body.
    var body: ByteBuffer {
        struct Body: Encodable {
            struct Entry: Encodable {
                var code: String
                var message: String
                var detail: [String: String]?
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

    static func unsupported(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.methodNotAllowed, code: "UNSUPPORTED", message: message)
    }

    static func digestInvalid(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.badRequest, code: "DIGEST_INVALID", message: message)
    }

    static func paginationInvalid(_ message: String) -> RegistryHTTPError {
        RegistryHTTPError(.badRequest, code: "PAGINATION_NUMBER_INVALID", message: message)
    }

    /// Maps a storage error to its status and code.
    init(_ error: RegistryStoreError) {
        let status: HTTPResponse.Status =
            switch error {
            case .nameInvalid, .blobUploadInvalid, .digestInvalid, .digestMalformed, .manifestInvalid,
                .manifestBlobUnknown, .tagInvalid:
                .badRequest
            case .nameUnknown, .blobUnknown, .blobUploadUnknown, .manifestUnknown: .notFound
            case .rangeInvalid: .rangeNotSatisfiable
            case .manifestTooLarge: .contentTooLarge
            case .denied: .forbidden
            case .blobCorrupted: .internalServerError
            }
        var headers: HTTPFields = [:]
        if case .rangeInvalid(let size) = error {
            headers[.uploadRange] = "0-\(max(size - 1, 0))"
        }
        self.init(status, code: error.code, message: "\(error)", headers: headers)
    }
}
