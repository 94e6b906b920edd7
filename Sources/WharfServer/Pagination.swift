import Foundation
import HTTPTypes
import Hummingbird

/// The `n` and `last` query parameters of list endpoints, and the `Link` header that
/// points at the next page.
struct Pagination {
    var limit: Int?
    var last: String?

    /// The most entries a page holds when the client asks for more (or for none in
    /// particular), as Distribution caps catalog pages.
    static let maximumPageSize = 1000

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        if let text = query["n"].map(String.init) {
            // Digits beyond Int's range are still a page size: the largest.
            let digitsOnly =
                !text.isEmpty && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard let value = Int(text) ?? (digitsOnly ? Int.max : nil), value >= 0 else {
                throw RegistryHTTPError.paginationInvalid("n must be a non-negative integer, not \"\(text)\"")
            }
            limit = min(value, Self.maximumPageSize)
        }
        last = query["last"].map(String.init)
    }

    /// The page size to fetch: one more than shown, to learn whether another page follows.
    var fetchLimit: Int { (limit ?? Self.maximumPageSize) + 1 }

    /// Trims `entries` to the page and returns the `Link` header value when more follow.
    func page(
        _ entries: [String], path: String, extraQuery: String = ""
    ) -> (entries: [String], link: String?) {
        let size = limit ?? Self.maximumPageSize
        guard entries.count > size, let lastShown = entries.prefix(size).last else {
            return (Array(entries.prefix(size)), nil)
        }
        let encoded =
            lastShown.addingPercentEncoding(
                withAllowedCharacters: .urlQueryAllowed.subtracting(["&", "=", "+"])) ?? lastShown
        return (Array(entries.prefix(size)), "<\(path)?n=\(size)&last=\(encoded)\(extraQuery)>; rel=\"next\"")
    }
}
