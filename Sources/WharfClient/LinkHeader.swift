import Foundation

/// Pagination by `Link: </v2/...?n=2&last=b>; rel="next"` (RFC 8288), as registries send it.
enum LinkHeader {
    /// The target of the `rel="next"` link, if any.
    static func next(_ header: String?) -> String? {
        guard let header else { return nil }
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { parameter in
                let compact = parameter.replacingOccurrences(of: " ", with: "").lowercased()
                return compact == "rel=\"next\"" || compact == "rel=next"
            }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}
