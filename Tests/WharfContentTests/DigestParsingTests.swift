import Foundation
import Testing
import WharfContent
import WharfTestSupport

@Suite("Digest parsing")
struct DigestParsingTests {
    static let sha256Hex = String(repeating: "a1", count: 32)
    static let sha512Hex = String(repeating: "0f", count: 64)

    @Test("accepts sha256 and sha512 digests of exact length and lowercase hex")
    func acceptsRegisteredAlgorithms() throws {
        let sha256 = try OCIDigest(parsing: "sha256:\(Self.sha256Hex)")
        #expect(sha256.algorithm == .sha256)
        #expect(sha256.encoded == Self.sha256Hex)
        #expect(sha256.description == "sha256:\(Self.sha256Hex)")
        let sha512 = try OCIDigest(parsing: "sha512:\(Self.sha512Hex)")
        #expect(sha512.algorithm == .sha512)
    }

    @Test(
        "rejects digests that break the image-spec grammar",
        arguments: [
            "", ":", "sha256", "sha256:", ":abc", "sha256::abc", "SHA256:abc", "sha256 :abc", "-sha256:abc",
            "sha256-:abc", "sha+-256:abc", "sha256:abc/def", "sha256:abc def", "sha256:abc\u{0}",
            "sha256:ab+c",
        ])
    func rejectsMalformed(input: String) {
        #expect(throws: DigestError.self) { try OCIDigest(parsing: input) }
        if case .malformed = Self.error(input) {
        } else {
            Issue.record("expected .malformed for \(input.debugDescription)")
        }
    }

    @Test(
        "rejects well-formed digests of algorithms Wharf cannot verify",
        arguments: [
            "sha384:\(String(repeating: "a", count: 96))",
            "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
            "md5:d41d8cd98f00b204e9800998ecf8427e",
        ])
    func rejectsUnsupportedAlgorithms(input: String) {
        guard case .unsupportedAlgorithm = Self.error(input) else {
            Issue.record("expected .unsupportedAlgorithm for \(input)")
            return
        }
    }

    @Test(
        "rejects sha256 and sha512 encodings of the wrong length or case",
        arguments: [
            "sha256:\(String(repeating: "a", count: 63))", "sha256:\(String(repeating: "a", count: 65))",
            "sha256:\(String(repeating: "A", count: 64))", "sha256:\(String(repeating: "g", count: 64))",
            "sha512:\(String(repeating: "a", count: 64))", "sha256:\(String(repeating: "a", count: 63))=",
        ])
    func rejectsBadEncodings(input: String) {
        guard case .invalidEncoded = Self.error(input) else {
            Issue.record("expected .invalidEncoded for \(input)")
            return
        }
    }

    @Test("rejects overlong input before examining it")
    func rejectsOverlongInput() {
        let huge = "sha256:" + String(repeating: "a", count: 1_000_000)
        guard case .malformed(_, let reason) = Self.error(huge) else {
            Issue.record("expected .malformed")
            return
        }
        #expect(reason.contains("longer than"))
    }

    @Test("error messages escape hostile input instead of echoing it raw")
    func errorsEscapeHostileInput() {
        let hostile = "sha256:\u{1b}[31mred\u{0}\n" + String(repeating: "x", count: 500)
        let message = Self.error(hostile).map { "\($0)" } ?? ""
        #expect(!message.contains("\u{1b}"))
        #expect(!message.contains("\n"))
        #expect(message.count < 300)
    }

    @Test("agrees with a regular-expression oracle of the grammar on 20,000 generated strings")
    func agreesWithGrammarOracle() throws {
        // The oracle is the image-spec grammar written as a regular expression, plus the
        // registered algorithms' encodings; the generator mixes valid digests, near-misses
        // and hostile characters so that every branch of the parser is exercised.
        let grammar = try Regex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")
        let sha256 = try Regex("^sha256:[a-f0-9]{64}$")
        let sha512 = try Regex("^sha512:[a-f0-9]{128}$")
        var generator = SeededGenerator(seed: 0x5EED)
        var accepted = 0
        for _ in 0..<20_000 {
            let input = DigestInputGenerator.next(using: &generator)
            let expectedValid = input.wholeMatch(of: sha256) != nil || input.wholeMatch(of: sha512) != nil
            let parsed = try? OCIDigest(parsing: input)
            #expect((parsed != nil) == expectedValid, "input: \(input.debugDescription)")
            if let parsed {
                accepted += 1
                #expect(parsed.description == input)
            } else if input.utf8.count <= 256, input.wholeMatch(of: grammar) != nil,
                !input.hasPrefix("sha256:"), !input.hasPrefix("sha512:")
            {
                guard case .unsupportedAlgorithm = Self.error(input) else {
                    Issue.record(
                        "grammatical input should be unsupportedAlgorithm: \(input.debugDescription)")
                    continue
                }
            }
        }
        #expect(accepted > 1_000, "the generator must produce enough valid digests to mean something")
    }

    @Test("decodes from and encodes to a JSON string, rejecting invalid digests while decoding")
    func codable() throws {
        let json = Data("[\"sha256:\(Self.sha256Hex)\"]".utf8)
        let decoded = try JSONDecoder().decode([OCIDigest].self, from: json)
        #expect(try JSONEncoder().encode(decoded) == json)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([OCIDigest].self, from: Data("[\"sha256:XYZ\"]".utf8))
        }
    }

    static func error(_ input: String) -> DigestError? {
        do {
            _ = try OCIDigest(parsing: input)
            return nil
        } catch {
            return error
        }
    }
}

/// Produces digest-like strings: valid ones, single-character mutations of valid ones, and
/// random strings over an alphabet that includes separators, unicode and control bytes.
enum DigestInputGenerator {
    static let alphabet: [String] =
        Array("abcdef0123456789ghzABCDEFZ:+._-=/@ ").map(String.init)
        + ["\u{0}", "é", "\u{202e}", "🙂", "\n", "ａ"]

    static func next(using generator: inout SeededGenerator) -> String {
        switch generator.next() % 4 {
        case 0:
            return validDigest(using: &generator)
        case 1:
            var characters = Array(validDigest(using: &generator))
            let position = Int(generator.next() % UInt64(characters.count))
            switch generator.next() % 3 {
            case 0: characters.remove(at: position)
            case 1: characters.insert(Character(randomSymbol(using: &generator)), at: position)
            default: characters[position] = Character(randomSymbol(using: &generator))
            }
            return String(characters)
        case 2:
            let algorithm = ["sha256", "sha512", "sha384", "blake3", "a+b", "x.y-z_w"][
                Int(generator.next() % 6)]
            let length = Int(generator.next() % 140)
            return algorithm + ":"
                + String(
                    (0..<length).map { _ in pick(Array("0123456789abcdefABCDEF=_-"), &generator) })
        default:
            let length = Int(generator.next() % 80)
            return (0..<length).map { _ in randomSymbol(using: &generator) }.joined()
        }
    }

    static func validDigest(using generator: inout SeededGenerator) -> String {
        let algorithm = generator.next() % 2 == 0 ? "sha256" : "sha512"
        let length = algorithm == "sha256" ? 64 : 128
        return algorithm + ":"
            + String((0..<length).map { _ in pick(Array("0123456789abcdef"), &generator) })
    }

    static func pick(_ characters: [Character], _ generator: inout SeededGenerator) -> Character {
        characters[Int(generator.next() % UInt64(characters.count))]
    }

    static func randomSymbol(using generator: inout SeededGenerator) -> String {
        alphabet[Int(generator.next() % UInt64(alphabet.count))]
    }
}
