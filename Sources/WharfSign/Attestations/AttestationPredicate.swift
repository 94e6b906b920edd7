public import Foundation

/// What an attestation says: a predicate type (a URI, see ``PredicateType``) and the
/// predicate itself, built as cosign builds it so that the statement's bytes match.
public struct AttestationPredicate: Sendable {
    /// The predicate type's URI.
    public var type: String
    let value: GoJSON.Value

    /// The predicate's JSON, as the statement carries it (what `--predicate` files hold).
    public var json: [UInt8] { Array(GoJSON.encode(value).utf8) }

    init(type: String, value: GoJSON.Value) {
        self.type = type
        self.value = value
    }

    /// A JSON document as the predicate (an SBOM, provenance, a VEX document), written as
    /// Go writes a decoded document: object keys sorted, numbers as float64. Throws
    /// ``SignatureError/malformedPayload(_:)`` when `json` is not JSON.
    public init(type: String, json: [UInt8]) throws(SignatureError) {
        self.init(type: type, value: try Self.decode(json))
    }

    /// Text as the predicate: a JSON string, as cosign's `spdx` type keeps an SPDX document.
    public init(type: String, text: String) {
        self.init(type: type, value: .string(text))
    }

    /// cosign's custom predicate: `{"Data":text,"Timestamp":"<RFC 3339, UTC, seconds>"}`.
    public static func custom(_ text: String, timestamp: Date = Date()) -> AttestationPredicate {
        AttestationPredicate(
            type: PredicateType.custom,
            value: .object([("Data", .string(text)), ("Timestamp", .string(rfc3339(timestamp)))]))
    }

    /// The predicate `cosign attest --type name --predicate FILE` makes of `content`:
    /// `custom` wraps the text with a timestamp, `spdx` keeps the text as a string, `vuln`
    /// keeps cosign's vulnerability-scan fields in cosign's order, the other named types
    /// (`spdxjson`, `cyclonedx`, `slsaprovenance`, `openvex`…) take any JSON, and a URI type a
    /// JSON object.
    ///
    /// Types cosign decodes into Go structs (SLSA provenance, links) are written with keys
    /// sorted rather than in the struct's order: the same document, other bytes.
    public init(cosignType name: String, content: [UInt8], timestamp: Date = Date()) throws(SignatureError) {
        guard let uri = PredicateType.uri(forName: name) else {
            throw .malformedPayload(
                "unknown predicate type \(name): use spdx, spdxjson, cyclonedx, slsaprovenance, slsaprovenance1, link, vuln, openvex, custom or a URI"
            )
        }
        switch name {
        case "custom":
            self = .custom(String(decoding: content, as: UTF8.self), timestamp: timestamp)
        case "spdx":
            self.init(type: uri, text: String(decoding: content, as: UTF8.self))
        case "vuln":
            self = try VulnerabilityScanPredicate(json: content).predicate
        case "spdxjson", "cyclonedx", "openvex", "slsaprovenance", "slsaprovenance02", "slsaprovenance1",
            "link":
            try self.init(type: uri, json: content)
        default:
            // cosign decodes a predicate of a URI type into a map: an object or nothing.
            let value = try Self.decode(content)
            guard case .object = value else {
                throw .malformedPayload("the predicate for \(uri) is not a JSON object")
            }
            self.init(type: uri, value: value)
        }
    }

    static func decode(_ json: [UInt8]) throws(SignatureError) -> GoJSON.Value {
        do {
            return try JSONDecoder().decode(GoJSON.Value.self, from: Data(json))
        } catch {
            throw .malformedPayload("the predicate is not JSON")
        }
    }

    /// Go's zero `time.Time`, what a missing time decodes to.
    static let goZeroTime = Date(timeIntervalSince1970: -62_135_596_800)

    /// Go's `time.RFC3339` in UTC: `2006-01-02T15:04:05Z`.
    static func rfc3339(_ date: Date) -> String {
        // Foundation's calendar is Julian before 1582; Go's zero time is proleptic Gregorian.
        date == goZeroTime ? "0001-01-01T00:00:00Z" : date.formatted(.iso8601)
    }
}
