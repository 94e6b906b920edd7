import Testing
import WharfImage
import WharfTestSupport

@Suite("References")
struct ReferenceTests {
    static let digest = "sha256:" + String(repeating: "ab", count: 32)

    @Test(
        "parses and normalises references as Docker does",
        arguments: [
            ("alpine", "docker.io", "library/alpine", nil, false),
            ("alpine:3.19", "docker.io", "library/alpine", "3.19", false),
            ("index.docker.io/foo", "docker.io", "library/foo", nil, false),
            ("docker.io/foo/bar:v1", "docker.io", "foo/bar", "v1", false),
            ("localhost/x", "localhost", "x", nil, false),
            ("localhost:5000/x/y:tag@\(digest)", "localhost:5000", "x/y", "tag", true),
            ("[::1]:5000/repo", "[::1]:5000", "repo", nil, false),
            ("ghcr.io/owner/repo@\(digest)", "ghcr.io", "owner/repo", nil, true),
            ("Registry.Example/a__b.c-d--e/f", "Registry.Example", "a__b.c-d--e/f", nil, false),
            ("127.0.0.1:5000/a_b:Tag_1.0-rc", "127.0.0.1:5000", "a_b", "Tag_1.0-rc", false),
        ] as [(String, String, String, String?, Bool)])
    func parsesValid(
        input: String, registry: String, repository: String, tag: String?, hasDigest: Bool
    ) throws {
        let reference = try ImageReference(parsing: input)
        #expect(reference.registry == registry)
        #expect(reference.repository == repository)
        #expect(reference.tag == tag)
        #expect((reference.digest != nil) == hasDigest)
        #expect(
            try ImageReference(parsing: reference.description) == reference,
            "the full form parses back to itself")
    }

    @Test("prints the familiar short form and chooses what to ask a registry for")
    func familiarFormAndIdentifier() throws {
        #expect(try ImageReference(parsing: "docker.io/library/alpine").familiarDescription == "alpine")
        #expect(try ImageReference(parsing: "foo/bar:1").familiarDescription == "foo/bar:1")
        #expect(try ImageReference(parsing: "ghcr.io/a/b").familiarDescription == "ghcr.io/a/b")
        #expect(try ImageReference(parsing: "alpine").identifier == "latest")
        #expect(try ImageReference(parsing: "alpine:3@\(Self.digest)").identifier == Self.digest)
    }

    @Test(
        "rejects invalid references with an error that explains the fault",
        arguments: [
            ("", "empty"), ("Alpine", "lowercase"), ("alpine:", "tag"), ("alpine:-x", "tag"),
            ("a//b", "empty path component"),
            ("../etc/passwd", "invalid registry"), ("alpine@sha256:short", "digest"),
            ("/alpine", "empty path component"),
            ("alpine/", "empty path component"), ("alpine:" + String(repeating: "t", count: 129), "128"),
            ("a\u{0}b", "path components"), ("ünïcode", "path components"), ("localhost:99999/x", "port"),
            ("host:port/x", "port"), ("a.b_c/d", "host components"), ("[::1/x", "IPv6"),
            (String(repeating: "a", count: 256), "255"), (String(repeating: "a/", count: 300) + "a", "limit"),
            ("foo/bar@sha384:" + String(repeating: "a", count: 96), "unsupported"),
        ])
    func rejectsInvalid(input: String, explanation: String) {
        do {
            let parsed = try ImageReference(parsing: input)
            Issue.record("accepted \(input.debugDescription) as \(parsed)")
        } catch {
            #expect("\(error)".contains(explanation), "\(error) should mention \(explanation)")
            #expect(!"\(error)".contains("\u{0}"), "hostile bytes are escaped in messages")
        }
    }

    @Test("agrees with a regular-expression oracle of the grammar on 30,000 generated strings")
    func agreesWithGrammarOracle() throws {
        let oracle = try ReferenceOracle()
        var generator = SeededGenerator(seed: 0xC0FFEE)
        var accepted = 0
        for _ in 0..<30_000 {
            let input = ReferenceInputGenerator.next(using: &generator)
            let expected = oracle.isValid(input)
            let parsed = try? ImageReference(parsing: input)
            #expect((parsed != nil) == expected, "input: \(input.debugDescription)")
            if parsed != nil { accepted += 1 }
        }
        #expect(accepted > 1_000, "enough valid references to mean something (got \(accepted))")
    }
}

/// The reference grammar as regular expressions (distribution's `reference/regexp.go`
/// shapes) plus the documented rule for when the first element is a registry. It shares no
/// code with the parser it checks.
struct ReferenceOracle {
    let path: Regex<AnyRegexOutput>
    let domain: Regex<AnyRegexOutput>
    let tag: Regex<AnyRegexOutput>
    let digest: Regex<AnyRegexOutput>

    init() throws {
        let component = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
        path = try Regex("^\(component)(?:/\(component))*$")
        let domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
        let port =
            "(?::(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]|0[0-9]{4}))?"
        domain = try Regex(
            "^(?:\(domainComponent)(?:\\.\(domainComponent))*|\\[[a-fA-F0-9:.]*:[a-fA-F0-9:.]*\\])\(port)$")
        tag = try Regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
        digest = try Regex("^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$")
    }

    func isValid(_ input: String) -> Bool {
        guard !input.isEmpty, input.utf8.count <= 512 else { return false }
        var rest = Substring(input)
        if let at = rest.firstIndex(of: "@") {
            guard String(rest[rest.index(after: at)...]).wholeMatch(of: digest) != nil else { return false }
            rest = rest[..<at]
        }
        let lastSlash = rest.lastIndex(of: "/") ?? rest.startIndex
        if let colon = rest[lastSlash...].lastIndex(of: ":") {
            guard String(rest[rest.index(after: colon)...]).wholeMatch(of: tag) != nil else { return false }
            rest = rest[..<colon]
        }
        guard rest.utf8.count <= 255 else { return false }
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost"
                || first.lowercased() != first
            {
                return String(first).wholeMatch(of: domain) != nil
                    && String(rest[rest.index(after: slash)...]).wholeMatch(of: path) != nil
            }
        }
        return String(rest).wholeMatch(of: path) != nil
    }
}

/// Generates reference-like strings from valid parts, mutations, and hostile characters.
enum ReferenceInputGenerator {
    static let domains = [
        "", "localhost/", "localhost:5000/", "ghcr.io/", "a.b.c:443/", "[::1]:5000/", "[fe80::1]/", "Host/",
        "-bad.io/", "bad-.io/", "x_y.io/", "host:0/", "host:65536/", "127.0.0.1/",
    ]
    static let components = [
        "alpine", "a", "foo-bar", "foo--bar", "foo_bar", "foo__bar", "foo___bar", "foo.bar", "foo..bar",
        "Foo", "9x", "-x", "x-", "_x", "x.", "a1b2",
    ]
    static let tags = [
        "", ":latest", ":v1.0", ":_x", ":.x", ":-x", ":" + String(repeating: "t", count: 128),
        ":" + String(repeating: "t", count: 129), ":a/b",
    ]
    static let digests = [
        "", "@sha256:" + String(repeating: "0", count: 64), "@sha256:" + String(repeating: "0", count: 63),
        "@sha512:" + String(repeating: "f", count: 128), "@md5:abc",
    ]
    static let hostile = ["\u{0}", "é", "/", ":", "@", "..", " ", "\u{202e}", "🙂", "A", "%2e"]

    static func pick<T>(_ values: [T], _ generator: inout SeededGenerator) -> T {
        values[Int(generator.next() % UInt64(values.count))]
    }

    static func next(using generator: inout SeededGenerator) -> String {
        let depth = 1 + Int(generator.next() % 3)
        var name = pick(domains, &generator)
        name += (0..<depth).map { _ in pick(components, &generator) }.joined(separator: "/")
        var result = name + pick(tags, &generator) + pick(digests, &generator)
        if generator.next() % 3 == 0, !result.isEmpty {
            var characters = Array(result)
            let position = Int(generator.next() % UInt64(characters.count))
            characters.insert(contentsOf: pick(hostile, &generator), at: position)
            result = String(characters)
        }
        if generator.next() % 50 == 0 { result = String(repeating: "a", count: 250) + "/" + result }
        return result
    }
}
