import WharfScan

/// A cataloger of one's own: `deps.lock` files of `name version` lines, in an ecosystem
/// Wharf does not know (`Toy`), whose versions compare as dot-separated integers.
struct ToyLockCataloger: Cataloger {
    static let ecosystem = Ecosystem(
        "Toy", versionScheme: VersionScheme(name: "integer-dots", compare: compare))

    var name: String { "toy-lock" }

    func wants(_ path: String) -> Bool { path.hasSuffix("/deps.lock") }

    func packages(in context: CatalogContext) throws -> [SoftwarePackage] {
        var packages: [SoftwarePackage] = []
        for path in context.filesystem.contents.keys.filter(wants).sorted() {
            guard let bytes = context.filesystem.contents[path], let file = context.filesystem.files[path]
            else {
                continue
            }
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ").map(String.init)
                guard fields.count == 2 else { continue }
                packages.append(
                    SoftwarePackage(
                        ecosystem: Self.ecosystem, name: fields[0], version: fields[1],
                        purl: PackageURL(type: "generic", name: fields[0], version: fields[1]), foundIn: path,
                        layer: file.layer))
            }
        }
        return packages
    }

    /// `1.2 < 1.10`: integers compared one by one; `nil` for anything else.
    static func compare(_ lhs: String, _ rhs: String) -> Int? {
        let left = lhs.split(separator: ".").compactMap { Int($0) }
        let right = rhs.split(separator: ".").compactMap { Int($0) }
        guard left.count == lhs.split(separator: ".").count, right.count == rhs.split(separator: ".").count
        else {
            return nil
        }
        return left.lexicographicallyPrecedes(right) ? -1 : (left == right ? 0 : 1)
    }
}
