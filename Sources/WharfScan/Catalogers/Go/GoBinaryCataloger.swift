/// Finds the Go modules compiled into executables, from their embedded build
/// information: the standard library (as OSV's `stdlib` package), the main module and
/// every dependency, with replacements applied.
public struct GoBinaryCataloger: Cataloger {
    /// Creates the cataloger.
    public init() {}

    /// `go-binary`.
    public var name: String { "go-binary" }

    /// Go binaries are found by their build information, not by path.
    public var readsGoBuildInfo: Bool { true }

    /// The modules of every Go binary, and the toolchain as `stdlib`.
    public func packages(in context: CatalogContext) -> [SoftwarePackage] {
        let filesystem = context.filesystem
        var packages: [SoftwarePackage] = []
        for path in filesystem.goBuildInfo.keys.sorted() {
            guard let info = filesystem.goBuildInfo[path], let file = filesystem.files[path] else { continue }
            var modules: [GoBuildInfo.Module] = []
            // go1.21.5 → v1.21.5; development toolchains ("devel ...") have no version to match.
            if let version = info.goVersion.split(separator: " ").first?.dropFirst(2),
                version.first?.isNumber == true
            {
                modules.append(GoBuildInfo.Module(path: "stdlib", version: "v" + version))
            }
            if let main = info.main, main.version != "(devel)" { modules.append(main) }
            modules += info.dependencies
            for module in modules {
                let components = module.path.split(separator: "/")
                packages.append(
                    SoftwarePackage(
                        ecosystem: .go, name: module.path, version: module.version,
                        purl: PackageURL(
                            type: "golang", namespace: components.dropLast().joined(separator: "/"),
                            name: String(components.last ?? ""), version: module.version),
                        foundIn: path, layer: file.layer))
            }
        }
        return packages
    }
}
