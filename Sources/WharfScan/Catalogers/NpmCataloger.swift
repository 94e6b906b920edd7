import Foundation

/// Finds installed npm packages: the `package.json` at the root of each package under a
/// `node_modules` directory (`node_modules/name/` or `node_modules/@scope/name/`).
public struct NpmCataloger: Cataloger {
    /// Creates the cataloger.
    public init() {}

    /// Whether the cataloger reads `path`.
    public func wants(_ path: String) -> Bool {
        guard path.hasSuffix("/package.json") else { return false }
        let components = path.split(separator: "/")
        guard components.count >= 3 else { return false }
        let parent = components[components.count - 2]
        let above = components[components.count - 3]
        if above == "node_modules" { return !parent.hasPrefix("@") && !parent.hasPrefix(".") }
        if components.count >= 4, components[components.count - 4] == "node_modules", above.hasPrefix("@") {
            return true
        }
        return false
    }

    /// `npm`.
    public var name: String { "npm" }

    /// The installed packages under `node_modules`.
    public func packages(in context: CatalogContext) -> [SoftwarePackage] {
        let filesystem = context.filesystem
        struct Manifest: Decodable {
            /// `"MIT"`, or the deprecated `{"type": "MIT"}`.
            enum License: Decodable {
                case name(String)
                case object(type: String?)

                init(from decoder: any Decoder) throws {
                    if let name = try? decoder.singleValueContainer().decode(String.self) {
                        self = .name(name)
                    } else {
                        struct Object: Decodable { var type: String? }
                        self = .object(type: (try? Object(from: decoder))?.type)
                    }
                }

                var name: String? {
                    switch self {
                    case .name(let name): name
                    case .object(let type): type
                    }
                }
            }

            var name: String?
            var version: String?
            var license: License?
            /// The deprecated list form.
            var licenses: [License]?

            enum CodingKeys: String, CodingKey {
                case name, version, license, licenses
            }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                name = try container.decodeIfPresent(String.self, forKey: .name)
                version = try container.decodeIfPresent(String.self, forKey: .version)
                // A licence field of an odd shape must not cost the package.
                license = try? container.decodeIfPresent(License.self, forKey: .license)
                licenses = try? container.decodeIfPresent([License].self, forKey: .licenses)
            }
        }
        return filesystem.contents.keys.filter(wants).sorted().compactMap { path in
            guard let file = filesystem.files[path], file.kind == .file,
                let bytes = filesystem.contents[path],
                let manifest = try? JSONDecoder().decode(Manifest.self, from: Data(bytes)),
                let name = manifest.name, let version = manifest.version, !name.isEmpty, !version.isEmpty
            else { return nil }
            var namespace: String?
            var bare = name
            if name.hasPrefix("@"), let slash = name.firstIndex(of: "/") {
                namespace = String(name[..<slash])
                bare = String(name[name.index(after: slash)...])
            }
            return SoftwarePackage(
                ecosystem: .npm, name: name, version: version,
                purl: PackageURL(type: "npm", namespace: namespace, name: bare, version: version),
                foundIn: path,
                layer: file.layer,
                licenses: ([manifest.license].compactMap { $0?.name }
                    + (manifest.licenses ?? []).compactMap(\.name))
                    .filter { !$0.isEmpty })
        }
    }
}
