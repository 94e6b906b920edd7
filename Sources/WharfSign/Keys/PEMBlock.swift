import Foundation

/// One PEM block (RFC 7468): a type and bytes, armored as Go's `pem.EncodeToMemory` writes
/// it (64-character lines, a trailing newline), so that keys Wharf writes are byte for
/// byte what cosign writes for the same bytes.
struct PEMBlock: Equatable {
    var type: String
    var bytes: [UInt8]

    /// The armored text.
    var text: String {
        let encoded = Data(bytes).base64EncodedString()
        var lines = ["-----BEGIN \(type)-----"]
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 64, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        lines.append("-----END \(type)-----")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The first block of `text`; throws ``SignError/malformedKey(_:)`` when there is none
    /// or its body is not base64.
    init(parsing text: String) throws(SignError) {
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") })
        else {
            throw .malformedKey("no PEM block")
        }
        let type = String(lines[begin].dropFirst("-----BEGIN ".count).dropLast(5))
        guard let end = lines[begin...].firstIndex(of: "-----END \(type)-----") else {
            throw .malformedKey("the PEM block \"\(type)\" has no end line")
        }
        let body = lines[(begin + 1)..<end]
        // RFC 7468 headers (`Proc-Type: ...`) are not part of keys Wharf reads.
        guard !body.contains(where: { $0.contains(":") }),
            let bytes = Data(base64Encoded: body.joined())
        else {
            throw .malformedKey("the PEM block \"\(type)\" is not base64")
        }
        self.type = type
        self.bytes = Array(bytes)
    }

    init(type: String, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }
}
