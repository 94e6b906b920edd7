public import Foundation

/// Advisory ids a team has decided to accept, from an ignore file: one id per line,
/// optionally with an expiry (`CVE-2024-1234 exp:2025-06-30`), `#` starting a comment —
/// the `.trivyignore` form. An expired entry no longer hides anything.
public struct IgnoreList: Sendable {
    /// One accepted advisory.
    public struct Entry: Sendable, Equatable {
        /// The advisory id or alias.
        public var id: String
        /// The end of the day after which the entry stops applying (UTC), if any.
        public var expires: Date?
    }

    /// The entries, in file order.
    public var entries: [Entry]

    /// Parses an ignore file; a malformed expiry fails, naming the line.
    public init(contents: String) throws {
        var entries: [Entry] = []
        for (number, rawLine) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
            .enumerated()
        {
            let line =
                rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?.trimmed
                ?? ""
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: \.isWhitespace)
            var entry = Entry(id: String(fields[0]), expires: nil)
            for field in fields.dropFirst() {
                guard field.hasPrefix("exp:"), let date = Self.endOfDay(String(field.dropFirst(4))) else {
                    throw ScanError.malformedMetadata(
                        path: "ignore file line \(number + 1)",
                        reason: "expected ID [exp:YYYY-MM-DD], got \"\(line)\"")
                }
                entry.expires = date
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// The ids that apply at `date`.
    public func activeIDs(at date: Date = Date()) -> Set<String> {
        Set(entries.filter { $0.expires.map { date <= $0 } ?? true }.map(\.id))
    }

    private static func endOfDay(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, text.count == 10 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        guard let day = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: day) == parts[2]
        else { return nil }
        return day.addingTimeInterval(86_400 - 1)
    }
}
