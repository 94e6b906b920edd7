import Foundation

/// A single byte range from a `Range: bytes=...` request header, resolved against the size
/// of what is served (RFC 9110 §14.1.2).
enum ByteRangeRequest {
    /// What the header asks for.
    enum Outcome: Equatable {
        /// No usable range (absent, multiple ranges, or another unit): serve everything.
        case whole
        /// Serve these bytes.
        case partial(Range<Int64>)
        /// The range cannot be satisfied for this size: answer 416.
        case unsatisfiable
    }

    static func resolve(_ header: String?, size: Int64) -> Outcome {
        guard let header else { return .whole }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("bytes=") else { return .whole }
        let spec = trimmed.dropFirst("bytes=".count)
        guard !spec.contains(",") else { return .whole }
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .unsatisfiable }
        let first = parts[0].trimmingCharacters(in: .whitespaces)
        let last = parts[1].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            // A suffix range: the last n bytes.
            guard let count = Int64(last), count > 0, size > 0 else { return .unsatisfiable }
            return .partial(max(0, size - count)..<size)
        }
        guard let start = Int64(first), start >= 0, start < size else { return .unsatisfiable }
        if last.isEmpty { return .partial(start..<size) }
        guard let end = Int64(last), end >= start else { return .unsatisfiable }
        return .partial(start..<min(end + 1, size))
    }
}
