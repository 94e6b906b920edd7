import Foundation
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("Language package catalogers on real installations")
struct LanguageCatalogerTests {
    static let origin = LayerOrigin(
        index: 0, digest: DigestHasher.digest(of: Array("lang".utf8)), diffID: nil)

    /// Tars `paths` (relative to `/`) from this machine into one layer and reads it.
    static func filesystem(
        of paths: String, wants: @escaping @Sendable (String) -> Bool
    ) async throws -> LayeredFilesystem {
        let directory = try TemporaryDirectory()
        let archive = try await shell("tar -C / -cf - \(paths) 2>/dev/null", in: directory.path)
        var filesystem = LayeredFilesystem()
        try await filesystem.apply(
            layer: origin, archive: TarReader(stream(archive)), capture: { wants($0) ? 4 << 20 : nil })
        return filesystem
    }

    @Test(
        "Python distributions in site-packages are exactly what `pip list` reports",
        .tags(.interop), .enabled(if: PythonModule.packaging.shouldRun))
    func pythonMatchesPip() async throws {
        let directory = try TemporaryDirectory()
        let site = String(
            decoding: try await shell(
                "python3 -c 'import site; print(site.getsitepackages()[0])'", in: directory.path),
            as: UTF8.self
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let relative = String(site.dropFirst())
        let cataloger = PythonCataloger()
        let filesystem = try await Self.filesystem(of: "'\(relative)'", wants: cataloger.wants)
        let packages = cataloger.packages(in: CatalogContext(filesystem: filesystem))
        struct Listed: Decodable {
            var name: String
            var version: String
        }
        let listing = try await shell(
            "python3 -m pip list --path '\(site)' --format=json 2>/dev/null", in: directory.path)
        let listed = try JSONDecoder().decode([Listed].self, from: listing)
        func key(_ name: String, _ version: String) -> String {
            "\(name.lowercased().replacingOccurrences(of: "_", with: "-")) \(version)"
        }
        #expect(
            Set(packages.map { key($0.name, $0.version) }) == Set(listed.map { key($0.name, $0.version) }))
        #expect(packages.count > 20)
        let pip = try #require(packages.first { $0.name.lowercased() == "pip" })
        #expect(pip.purl.description == "pkg:pypi/pip@\(pip.version)")
        #expect(pip.foundIn.hasSuffix(".dist-info/METADATA"))
        #expect(pip.licenses == ["MIT"], "pip's METADATA declares License: MIT")
    }

    /// `string-width@^4.2.0` → `string-width`; `@scope/name@1` → `@scope/name`.
    static func aliasTarget(_ spec: String) -> String {
        let scoped = spec.hasPrefix("@")
        let body = scoped ? spec.dropFirst() : Substring(spec)
        let name = body.split(separator: "@", maxSplits: 1).first.map(String.init) ?? ""
        return scoped ? "@" + name : name
    }

    @Test("npm packages are the package roots under node_modules, scoped ones included")
    func npmPackageRoots() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("app")
        let files: [String: String] = [
            "node_modules/left-pad/package.json": #"{"name":"left-pad","version":"1.3.0","license":"WTFPL"}"#,
            "node_modules/left-pad/lib/package.json": #"{"name":"not-a-package","version":"0.0.1"}"#,
            "node_modules/@babel/core/package.json":
                #"{"name":"@babel/core","version":"7.23.0","license":{"type":"MIT","url":"x"}}"#,
            "node_modules/@babel/core/node_modules/semver/package.json":
                #"{"name":"semver","version":"6.3.1","licenses":[{"type":"ISC"}],"license":42}"#,
            "node_modules/.bin/package.json": #"{"name":"dot","version":"1.0.0"}"#,
            "package.json": #"{"name":"the-app","version":"1.0.0"}"#,
        ]
        for (path, content) in files {
            try FileManager.default.createDirectory(
                atPath: ((root + "/" + path) as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            try content.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        let archive = try await shell("tar -cf - .", in: root)
        let cataloger = NpmCataloger()
        var filesystem = LayeredFilesystem()
        try await filesystem.apply(
            layer: Self.origin, archive: TarReader(stream(archive)),
            capture: { cataloger.wants($0) ? 1 << 20 : nil })
        let packages = cataloger.packages(in: CatalogContext(filesystem: filesystem)).map {
            "\($0.name)@\($0.version) \($0.purl) \($0.licenses)"
        }
        // The string form, the deprecated object and list forms, and a licence field of the
        // wrong type that must not cost the package.
        #expect(
            Set(packages) == [
                #"left-pad@1.3.0 pkg:npm/left-pad@1.3.0 ["WTFPL"]"#,
                #"@babel/core@7.23.0 pkg:npm/%40babel/core@7.23.0 ["MIT"]"#,
                #"semver@6.3.1 pkg:npm/semver@6.3.1 ["ISC"]"#,
            ])
    }

    @Test("in npm's own installation every package sits in a directory named after it or its alias")
    func npmRealTree() async throws {
        let npmRoot = "usr/lib/node_modules/npm"
        guard FileManager.default.fileExists(atPath: "/" + npmRoot + "/package.json") else { return }
        let cataloger = NpmCataloger()
        let filesystem = try await Self.filesystem(of: npmRoot, wants: cataloger.wants)
        let packages = cataloger.packages(in: CatalogContext(filesystem: filesystem))
        #expect(packages.count > 100, "npm bundles its dependencies (\(packages.count) found)")
        // npm aliases ("string-width-cjs": "npm:string-width@^4") install a package under
        // another directory name; the package is still the one its package.json names.
        struct Dependencies: Decodable { var dependencies: [String: String]? }
        var aliases: [String: String] = [:]
        for package in packages {
            let manifest = try JSONDecoder().decode(
                Dependencies.self, from: Data(try #require(filesystem.contents[package.foundIn])))
            for (directory, spec) in manifest.dependencies ?? [:] where spec.hasPrefix("npm:") {
                aliases[directory] = Self.aliasTarget(String(spec.dropFirst(4)))
            }
        }
        for package in packages {
            let directory = String(
                package.foundIn.dropLast("/package.json".count).split(separator: "/").last ?? "")
            #expect(
                package.foundIn.hasSuffix("node_modules/\(package.name)/package.json")
                    || aliases[directory] == package.name,
                "\(package.foundIn) holds \(package.name)")
        }
        #expect(packages.contains { $0.name == "npm" })
    }
}
