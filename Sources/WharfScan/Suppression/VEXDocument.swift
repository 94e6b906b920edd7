import Foundation

/// An OpenVEX document: statements that a vulnerability does or does not affect products.
/// Findings covered by a `not_affected` or `fixed` statement are dropped from a report.
public struct VEXDocument: Sendable, Decodable {
    /// One statement.
    public struct Statement: Sendable, Decodable {
        /// The vulnerability: its name and aliases.
        public var vulnerability: [String]
        /// The products (purls, or the image) and their subcomponents (purls).
        public var products: [String]
        /// Subcomponents named under the products.
        public var subcomponents: [String]
        /// `not_affected`, `affected`, `fixed` or `under_investigation`.
        public var status: String

        enum CodingKeys: String, CodingKey {
            case vulnerability, products, status
        }

        private struct Named: Decodable {
            var name: String?
            var id: String?
            var aliases: [String]?

            enum CodingKeys: String, CodingKey {
                case name, aliases
                case id = "@id"
            }
        }

        private struct Product: Decodable {
            var id: String?
            var subcomponents: [Product]?

            enum CodingKeys: String, CodingKey {
                case subcomponents
                case id = "@id"
            }
        }

        /// Decodes both the v0.2 object forms and the older plain strings.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let name = try? container.decode(String.self, forKey: .vulnerability) {
                vulnerability = [name]
            } else {
                let named = try container.decode(Named.self, forKey: .vulnerability)
                vulnerability = [named.name, named.id].compactMap { $0 } + (named.aliases ?? [])
            }
            if let plain = try? container.decode([String].self, forKey: .products) {
                products = plain
                subcomponents = []
            } else {
                let objects = try container.decodeIfPresent([Product].self, forKey: .products) ?? []
                products = objects.compactMap(\.id)
                subcomponents = objects.flatMap { $0.subcomponents ?? [] }.compactMap(\.id)
            }
            status = try container.decode(String.self, forKey: .status)
        }

        /// Whether the statement clears `finding` in the image `reference`/`digest`.
        func clears(_ finding: Finding, reference: String, digest: String) -> Bool {
            guard status == "not_affected" || status == "fixed" else { return false }
            let ids = Set([finding.advisoryID] + finding.aliases)
            guard vulnerability.contains(where: ids.contains) else { return false }
            let purl = VEXDocument.base(finding.package.purl.description)
            let packageNamed = (products + subcomponents).contains { VEXDocument.base($0) == purl }
            // A statement about the image itself, without subcomponents, covers everything in it.
            let imageNamed =
                subcomponents.isEmpty
                && products.contains { $0 == reference || $0.contains(digest) || $0.hasSuffix("@" + digest) }
            return packageNamed || imageNamed
        }
    }

    /// The statements.
    public var statements: [Statement]

    /// Reads a document.
    public static func load(path: String) throws -> VEXDocument {
        do {
            return try JSONDecoder().decode(
                VEXDocument.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ScanError.malformedMetadata(path: path, reason: "not an OpenVEX document: \(error)")
        }
    }

    /// Whether any statement clears `finding`.
    public func clears(_ finding: Finding, reference: String, digest: String) -> Bool {
        statements.contains { $0.clears(finding, reference: reference, digest: digest) }
    }

    /// A purl without qualifiers and subpath, for comparing package identity.
    static func base(_ purl: String) -> String {
        String(purl.prefix { $0 != "?" && $0 != "#" })
    }
}
