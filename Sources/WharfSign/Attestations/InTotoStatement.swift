import Foundation
public import WharfContent

/// An in-toto statement: what an attestation says (a predicate of some type) about which
/// artifacts (its subjects, by digest).
///
/// Written as cosign writes it (`https://in-toto.io/Statement/v0.1`, fields in Go's order:
/// `_type`, `predicateType`, `subject`, `predicate`); v0.1 and v1 statements are read.
public struct InTotoStatement: Sendable, Hashable {
    /// The statement type cosign writes.
    public static let version01 = "https://in-toto.io/Statement/v0.1"
    /// The current in-toto statement type, also read.
    public static let version1 = "https://in-toto.io/Statement/v1"

    /// An artifact the statement is about.
    public struct Subject: Sendable, Hashable {
        /// Its name: for an image, its repository (`registry.example.com/team/app`).
        public var name: String
        /// Its digests by algorithm (`sha256` → hex).
        public var digest: [String: String]

        /// Creates a subject.
        public init(name: String, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }

        /// The subject naming an image's manifest in `repository`.
        public init(repository: String, manifest: OCIDigest) {
            self.init(name: repository, digest: [manifest.algorithm.rawValue: manifest.encoded])
        }

        /// Whether one of its digests is `digest`.
        public func matches(_ digest: OCIDigest) -> Bool {
            self.digest[digest.algorithm.rawValue] == digest.encoded
        }
    }

    /// The statement type (``version01`` or ``version1``).
    public var type: String
    /// What the predicate is, as a URI (``PredicateType``).
    public var predicateType: String
    /// What the statement is about.
    public var subjects: [Subject]
    /// The statement's bytes: what a DSSE envelope carries and signs.
    public let bytes: [UInt8]

    /// A new statement, as cosign writes it, that `predicate` holds of `subjects`.
    public init(subjects: [Subject], predicate: AttestationPredicate) {
        type = Self.version01
        predicateType = predicate.type
        self.subjects = subjects
        let document: GoJSON.Value = .object([
            ("_type", .string(Self.version01)),
            ("predicateType", .string(predicate.type)),
            (
                "subject",
                .array(
                    subjects.map { subject in
                        .object([
                            ("name", .string(subject.name)),
                            (
                                "digest",
                                .object(
                                    subject.digest.sorted {
                                        Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8))
                                    }
                                    .map { ($0.key, .string($0.value)) })
                            ),
                        ])
                    })
            ),
            ("predicate", predicate.value),
        ])
        bytes = Array(GoJSON.encode(document).utf8)
    }

    /// Reads a statement (v0.1 or v1); throws ``SignatureError/malformedPayload(_:)`` for
    /// anything else. The predicate is not read here: ``predicate(as:)`` decodes it.
    public init(parsing bytes: [UInt8]) throws(SignatureError) {
        struct Header: Decodable {
            struct Subject: Decodable {
                var name: String?
                var digest: [String: String]?
            }
            var _type: String
            var predicateType: String
            var subject: [Subject]
        }
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(bytes))
        } catch {
            throw .malformedPayload("not an in-toto statement (_type, predicateType, subject)")
        }
        guard header._type == Self.version01 || header._type == Self.version1 else {
            throw .malformedPayload("statement type \(header._type) is neither in-toto v0.1 nor v1")
        }
        type = header._type
        predicateType = header.predicateType
        subjects = header.subject.map { Subject(name: $0.name ?? "", digest: $0.digest ?? [:]) }
        self.bytes = bytes
    }

    /// The predicate decoded as `type`.
    public func predicate<Predicate: Decodable>(as type: Predicate.Type) throws -> Predicate {
        try JSONDecoder().decode(PredicateField<Predicate>.self, from: Data(bytes)).predicate
    }

    /// Statements are equal when their bytes are.
    public static func == (lhs: InTotoStatement, rhs: InTotoStatement) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// A statement read for its predicate alone.
private struct PredicateField<Predicate: Decodable>: Decodable {
    var predicate: Predicate
}
