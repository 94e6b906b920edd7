import Foundation

/// Finds installed npm packages: the `package.json` at the root of each package under a
/// `node_modules` directory (`node_modules/name/` or `node_modules/@scope/name/`).
public struct NpmCataloger: Sendable {
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

    /// The packages in `filesystem`.
    public func packages(in filesystem: LayeredFilesystem) -> [Package] {
        struct Manifest: Decodable {
            var name: String?
            var version: String?
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
            return Package(
                ecosystem: .npm, name: name, version: version,
                purl: PackageURL(type: "npm", namespace: namespace, name: bare, version: version),
                foundIn: path,
                layer: file.layer)
        }
    }
}
