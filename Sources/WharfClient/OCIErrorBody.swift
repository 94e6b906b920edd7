import Foundation
import NIOCore
import WharfContent

/// The distribution-spec error body, `{"errors":[{"code","message","detail"}]}`.
enum OCIErrorBody {
    static func parse(_ body: ByteBuffer) -> (codes: [OCIErrorCode], message: String?) {
        struct Body: Decodable {
            struct Entry: Decodable {
                var code: OCIErrorCode?
                var message: String?
            }
            var errors: [Entry]?
        }
        guard let decoded = try? JSONDecoder().decode(Body.self, from: Data(body.readableBytesView)),
            let errors = decoded.errors, !errors.isEmpty
        else { return ([], nil) }
        let message = errors.compactMap(\.message).filter { !$0.isEmpty }.joined(separator: "; ")
        return (errors.compactMap(\.code), message.isEmpty ? nil : message)
    }
}
