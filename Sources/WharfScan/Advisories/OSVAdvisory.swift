/// An advisory in the OSV format (ossf/osv-schema): what is affected, in which versions,
/// and how badly. Only the fields matching needs are decoded; unknown fields are ignored.
public struct OSVAdvisory: Sendable, Hashable, Codable {
    /// A severity statement: `CVSS_V3` or `CVSS_V4` with a vector, or another scheme.
    public struct Severity: Sendable, Hashable, Codable {
        /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ...
        public var type: String
        /// The vector (or rating) string.
        public var score: String
    }

    /// An affected package and the versions affected.
    public struct Affected: Sendable, Hashable, Codable {
        /// The package: ecosystem (`Debian:12`, `PyPI`, ...) and name.
        public struct PackageID: Sendable, Hashable, Codable {
            /// The OSV ecosystem: `Debian:12`, `Alpine:v3.19`, `PyPI`, `npm`, `Go`.
            public var ecosystem: String
            /// The package name as the ecosystem spells it (a Debian source package).
            public var name: String
            /// The package URL, when the database gives one.
            public var purl: String?
        }

        /// A version range as a timeline of events.
        public struct Range: Sendable, Hashable, Codable {
            /// One event; exactly one field is set.
            public struct Event: Sendable, Hashable, Codable {
                /// The version from which the package is affected (`0`: from the start).
                public var introduced: String?
                /// The first version no longer affected.
                public var fixed: String?
                /// The last version still affected.
                public var lastAffected: String?
                /// An upper bound of the range's scope (versions at or above are not in it).
                public var limit: String?

                enum CodingKeys: String, CodingKey {
                    case introduced, fixed, limit
                    case lastAffected = "last_affected"
                }
            }

            /// `SEMVER`, `ECOSYSTEM` or `GIT`.
            public var type: String
            /// The events.
            public var events: [Event]
        }

        /// The affected package.
        public var package: PackageID?
        /// The affected version ranges.
        public var ranges: [Range]?
        /// Affected versions listed one by one.
        public var versions: [String]?
        /// Severity statements for this package only.
        public var severity: [Severity]?
        /// Database-specific data; some databases keep a severity rating here.
        public var databaseSpecific: JSONValue?
        /// Ecosystem-specific data (Debian urgency, for instance).
        public var ecosystemSpecific: JSONValue?

        enum CodingKeys: String, CodingKey {
            case package, ranges, versions, severity
            case databaseSpecific = "database_specific"
            case ecosystemSpecific = "ecosystem_specific"
        }
    }

    /// The advisory's identifier (`DSA-5579-1`, `GHSA-...`, `CVE-...`).
    public var id: String
    /// When it was last changed (RFC 3339).
    public var modified: String?
    /// When it was withdrawn, if it was: such advisories never match.
    public var withdrawn: String?
    /// Other identifiers of the same vulnerability.
    public var aliases: [String]?
    /// A one-line summary.
    public var summary: String?
    /// The full description.
    public var details: String?
    /// Severity statements for the whole advisory.
    public var severity: [Severity]?
    /// The affected packages.
    public var affected: [Affected]?
    /// Database-specific data (GitHub's `severity`, for instance).
    public var databaseSpecific: JSONValue?

    enum CodingKeys: String, CodingKey {
        case id, modified, withdrawn, aliases, summary, details, severity, affected
        case databaseSpecific = "database_specific"
    }
}

/// Any JSON value, for the schema's free-form objects.
public enum JSONValue: Sendable, Hashable, Codable {
    /// A string.
    case string(String)
    /// A number (JSON does not tell integers from reals).
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])
    /// `null`.
    case null

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// The member `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
