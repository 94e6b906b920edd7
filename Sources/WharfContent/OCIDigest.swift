/// A content digest: an algorithm and the lowercase hex encoding of a hash.
///
/// Parsing follows the image-spec grammar exactly:
///
/// ```
/// digest               ::= algorithm ":" encoded
/// algorithm            ::= algorithm-component (algorithm-separator algorithm-component)*
/// algorithm-component  ::= [a-z0-9]+
/// algorithm-separator  ::= [+._-]
/// encoded              ::= [a-zA-Z0-9=_-]+
/// ```
///
/// and then the registered algorithms' own rules: `sha256` takes exactly 64 and `sha512`
/// exactly 128 lowercase hex characters. Parsing never traps, whatever the input.
public struct OCIDigest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    LosslessStringConvertible
{
    /// The hash algorithm.
    public let algorithm: DigestAlgorithm
    /// The lowercase hex encoding of the hash.
    public let encoded: String

    /// The longest string the parser looks at; anything longer cannot be a digest of a
    /// supported algorithm and is rejected before any further work.
    static let maximumInputLength = 256

    /// Parses `"algorithm:encoded"`, throwing a ``DigestError`` that says what is wrong.
    public init(parsing string: String) throws(DigestError) {
        let utf8 = string.utf8
        guard utf8.count <= Self.maximumInputLength else {
            throw .malformed(string, reason: "longer than \(Self.maximumInputLength) bytes")
        }
        guard let colon = utf8.firstIndex(of: UInt8(ascii: ":")) else {
            throw .malformed(string, reason: "missing ':' between algorithm and encoded part")
        }
        let algorithmBytes = utf8[utf8.startIndex..<colon]
        let encodedBytes = utf8[utf8.index(after: colon)...]
        try Self.validateAlgorithmGrammar(algorithmBytes, input: string)
        try Self.validateEncodedGrammar(encodedBytes, input: string)
        let name = String(decoding: algorithmBytes, as: UTF8.self)
        guard let algorithm = DigestAlgorithm(rawValue: name) else {
            throw .unsupportedAlgorithm(name)
        }
        try self.init(algorithm: algorithm, encoded: String(decoding: encodedBytes, as: UTF8.self))
    }

    /// Creates a digest from an algorithm and its hex encoding, validating the encoding.
    public init(algorithm: DigestAlgorithm, encoded: String) throws(DigestError) {
        let bytes = encoded.utf8
        guard bytes.count == algorithm.encodedLength else {
            throw .invalidEncoded(
                algorithm: algorithm,
                reason: "expected \(algorithm.encodedLength) hex characters, found \(bytes.count)")
        }
        guard bytes.allSatisfy(Self.isLowercaseHex) else {
            throw .invalidEncoded(algorithm: algorithm, reason: "encoded part must be lowercase hex")
        }
        self.algorithm = algorithm
        self.encoded = encoded
    }

    /// Creates a digest from raw hash bytes; used by ``DigestHasher``.
    init(algorithm: DigestAlgorithm, rawBytes: some Collection<UInt8>) {
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex = [UInt8]()
        hex.reserveCapacity(rawBytes.count * 2)
        for byte in rawBytes {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        self.algorithm = algorithm
        self.encoded = String(decoding: hex, as: UTF8.self)
    }

    /// `LosslessStringConvertible` conformance: `nil` when the string is not a valid digest.
    public init?(_ description: String) {
        guard let digest = try? OCIDigest(parsing: description) else { return nil }
        self = digest
    }

    /// The canonical string form, `algorithm:encoded`.
    public var description: String { "\(algorithm.rawValue):\(encoded)" }

    /// Orders digests by their string form, the order registries list them in.
    public static func < (lhs: OCIDigest, rhs: OCIDigest) -> Bool {
        lhs.description < rhs.description
    }

    /// Decodes a digest from its JSON string form, rejecting invalid digests.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let string = try container.decode(String.self)
        do {
            try self.init(parsing: string)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the digest as its string form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func validateAlgorithmGrammar(
        _ bytes: String.UTF8View.SubSequence, input: String
    ) throws(DigestError) {
        guard !bytes.isEmpty else { throw .malformed(input, reason: "empty algorithm") }
        var previousWasSeparator = true  // a leading separator is as wrong as a doubled one
        for byte in bytes {
            if isLowercaseAlphanumeric(byte) {
                previousWasSeparator = false
            } else if isAlgorithmSeparator(byte) {
                if previousWasSeparator {
                    throw .malformed(input, reason: "algorithm separators must sit between components")
                }
                previousWasSeparator = true
            } else {
                throw .malformed(input, reason: "algorithm may contain only [a-z0-9] and separators [+._-]")
            }
        }
        if previousWasSeparator {
            throw .malformed(input, reason: "algorithm must not end with a separator")
        }
    }

    private static func validateEncodedGrammar(
        _ bytes: String.UTF8View.SubSequence, input: String
    ) throws(DigestError) {
        guard !bytes.isEmpty else { throw .malformed(input, reason: "empty encoded part") }
        for byte in bytes where !isEncodedCharacter(byte) {
            throw .malformed(input, reason: "encoded part may contain only [a-zA-Z0-9=_-]")
        }
    }

    private static func isLowercaseAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlgorithmSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    private static func isEncodedCharacter(_ byte: UInt8) -> Bool {
        isLowercaseAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || byte == UInt8(ascii: "=") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
