/// The operating system an image is built on, from `etc/os-release` (or
/// `usr/lib/os-release`), falling back to `etc/debian_version` and `etc/alpine-release`.
public struct OSRelease: Sendable, Hashable, Codable {
    /// `debian`, `alpine`, `ubuntu`, ...
    public var id: String
    /// `12`, `3.19.1`, ... when known.
    public var versionID: String?
    /// A human-readable name.
    public var prettyName: String?

    /// Creates a record.
    public init(id: String, versionID: String?, prettyName: String? = nil) {
        self.id = id
        self.versionID = versionID
        self.prettyName = prettyName
    }

    /// Detects the OS of `filesystem`; `nil` when nothing says.
    public static func detect(in filesystem: LayeredFilesystem) -> OSRelease? {
        for path in ["etc/os-release", "usr/lib/os-release"] {
            if let bytes = filesystem.content(of: path),
                let release = parse(String(decoding: bytes, as: UTF8.self))
            {
                return release
            }
        }
        if let bytes = filesystem.content(of: "etc/alpine-release") {
            return OSRelease(id: "alpine", versionID: String(decoding: bytes, as: UTF8.self).trimmed)
        }
        if let bytes = filesystem.content(of: "etc/debian_version") {
            let version = String(decoding: bytes, as: UTF8.self).trimmed
            return OSRelease(
                id: "debian", versionID: version.split(separator: ".").first.map(String.init) ?? version)
        }
        return nil
    }

    /// The files ``detect(in:)`` reads, for capture.
    public static let paths: Set<String> = [
        "etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version",
    ]

    /// Parses `KEY=value` lines (values optionally quoted, with backslash escapes).
    static func parse(_ text: String) -> OSRelease? {
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmed
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = String(trimmed[..<equals])
            var value = Substring(trimmed[trimmed.index(after: equals)...])
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = value.dropFirst().dropLast()
            }
            var unescaped = ""
            var escaping = false
            for character in value {
                if escaping {
                    unescaped.append(character)
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    unescaped.append(character)
                }
            }
            fields[key] = unescaped
        }
        guard let id = fields["ID"], !id.isEmpty else { return nil }
        return OSRelease(
            id: id.lowercased(), versionID: fields["VERSION_ID"], prettyName: fields["PRETTY_NAME"])
    }
}

extension StringProtocol {
    var trimmed: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
