/// A package URL (purl-spec): `pkg:type/namespace/name@version?qualifiers#subpath`, with
/// components percent-encoded as the spec says and qualifiers sorted by key.
public struct PackageURL: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The package type: `deb`, `apk`, `pypi`, `npm`, `golang`.
    public var type: String
    /// The namespace (`debian`, `alpine`, an npm scope, a Go module path's host and path).
    public var namespace: String?
    /// The name.
    public var name: String
    /// The version.
    public var version: String?
    /// Qualifiers such as `arch` and `distro`.
    public var qualifiers: [String: String]

    /// Creates a purl.
    public init(
        type: String, namespace: String? = nil, name: String, version: String?,
        qualifiers: [String: String] = [:]
    ) {
        self.type = type
        self.namespace = namespace
        self.name = name
        self.version = version
        self.qualifiers = qualifiers
    }

    /// The canonical string.
    public var description: String {
        var text = "pkg:\(type)/"
        if let namespace, !namespace.isEmpty {
            text +=
                namespace.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/") + "/"
        }
        text += Self.encode(name)
        if let version { text += "@" + Self.encode(version) }
        let pairs = qualifiers.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !pairs.isEmpty {
            text +=
                "?" + pairs.map { "\($0.key.lowercased())=\(Self.encode($0.value))" }.joined(separator: "&")
        }
        return text
    }

    /// Encodes as a string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decoding is not supported beyond what Wharf writes; reports keep the string.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.init(type: "generic", name: text, version: nil)
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986) and `:`, which
    /// purl-spec says must never be encoded.
    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: ":"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
