import Foundation
import Testing
import WharfContent
import WharfImage
import WharfScan
import WharfTestSupport

@Suite("Extending the scanner: catalogers, ecosystems and advisory sources of one's own")
struct ExtensionPointTests {
    /// A lockfile format of its own: `name version` per line, in an ecosystem Wharf does not
    /// know, whose versions compare as dot-separated integers (so `1.2 < 1.10`, which a
    /// string comparison gets wrong).
    struct LockfileCataloger: Cataloger {
        static let ecosystem = Ecosystem(
            "Toy",
            versionScheme: VersionScheme(name: "integer-dots") { lhs, rhs in
                let left = lhs.split(separator: ".").map { Int($0) }
                let right = rhs.split(separator: ".").map { Int($0) }
                guard !left.contains(nil), !right.contains(nil) else { return nil }
                let (l, r) = (left.compactMap { $0 }, right.compactMap { $0 })
                return l.lexicographicallyPrecedes(r) ? -1 : (l == r ? 0 : 1)
            })

        var name: String { "toy-lock" }
        func wants(_ path: String) -> Bool { path.hasSuffix("/deps.lock") }
        func packages(in context: CatalogContext) throws -> [SoftwarePackage] {
            context.filesystem.contents.keys.filter(wants).sorted().flatMap { path -> [SoftwarePackage] in
                guard let bytes = context.filesystem.contents[path], let file = context.filesystem.files[path]
                else { return [] }
                return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
                    let fields = line.split(separator: " ").map(String.init)
                    guard fields.count == 2 else { return nil }
                    return SoftwarePackage(
                        ecosystem: Self.ecosystem, name: fields[0], version: fields[1],
                        purl: PackageURL(type: "generic", name: fields[0], version: fields[1]), foundIn: path,
                        layer: file.layer)
                }
            }
        }
    }

    /// An image of plain tar layers, each from a map of path to content, in a memory store
    /// under `v1`.
    static func image(
        _ layers: [[String: String?]], configuration: Data? = nil, in directory: String
    ) async throws -> MemoryStore {
        let store = MemoryStore()
        var descriptors: [Descriptor] = []
        for (index, files) in layers.enumerated() {
            let tar = try await LayeredFilesystemTests.layer(files, in: directory, name: "layer-\(index)")
            let descriptor = Descriptor(mediaType: .ociLayer, bytes: tar)
            try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: tar)))
            descriptors.append(descriptor)
        }
        let config =
            try configuration
            ?? ImageConfiguration(
                architecture: "amd64", os: "linux",
                rootfs: .init(diffIDs: descriptors.map(\.digest))
            ).encoded()
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        let manifest = try ManifestDocument(ImageManifest(config: configDescriptor, layers: descriptors))
        try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        try await store.tag(manifest.descriptor, as: "v1")
        return store
    }

    @Test(
        "a cataloger of one's own finds packages of its own ecosystem; they match advisories by its version order and reach the reports"
    )
    func customCataloger() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.image(
            [
                [
                    "srv/app/deps.lock": "left-pad 1.2\nright-pad 0.9\n",
                    "etc/os-release": "ID=debian\nVERSION_ID=12\n",
                ]
            ],
            in: directory.path)
        let advisories = try [
            #"{"id":"TOY-1","affected":[{"package":{"ecosystem":"Toy","name":"left-pad"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.10"}]}]}]}"#,
            #"{"id":"TOY-2","affected":[{"package":{"ecosystem":"Toy","name":"right-pad"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"0.9"}]}]}]}"#,
        ].map { try JSONDecoder().decode(OSVAdvisory.self, from: Data($0.utf8)) }
        let scanner = ImageScanner(
            advisories: AdvisoryDatabase(advisories: advisories),
            catalogers: ImageScanner.defaultCatalogers + [LockfileCataloger()])
        let report = try await scanner.scan("v1", in: store)

        #expect(
            report.packages.map { "\($0.ecosystem) \($0.name) \($0.version)" } == [
                "Toy left-pad 1.2", "Toy right-pad 0.9",
            ])
        #expect(
            report.findings.map(\.advisoryID) == ["TOY-1"], "1.2 is below the fix 1.10; 0.9 is the fix itself"
        )
        #expect(report.findings.first?.fixedVersion == "1.10")
        #expect(report.os?.id == "debian")

        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains(#""ecosystem":"Toy""#))
        let decoded = try JSONDecoder().decode(ScanReport.self, from: Data(json.utf8))
        #expect(decoded.packages.first?.ecosystem == LockfileCataloger.ecosystem)
        let sbom = String(decoding: try CycloneDXWriter(toolVersion: "test").write(report), as: UTF8.self)
        #expect(sbom.contains("pkg:generic/left-pad@1.2"))
        #expect(sbom.contains("TOY-1"))
    }

    @Test("an advisory source of one's own answers the matcher in place of a database")
    func customAdvisorySource() throws {
        struct OneAdvisory: AdvisorySource {
            let advisory: OSVAdvisory
            func advisories(ecosystem: String, name: String) throws -> [(OSVAdvisory, OSVAdvisory.Affected)] {
                (advisory.affected ?? []).filter {
                    $0.package?.ecosystem == ecosystem && $0.package?.name == name
                }
                .map { (advisory, $0) }
            }
        }
        let advisory = try JSONDecoder().decode(
            OSVAdvisory.self,
            from: Data(
                #"{"id":"GHSA-x","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}"#
                    .utf8))
        let layer = LayerOrigin(index: 0, digest: DigestHasher.digest(of: [1]), diffID: nil)
        let packages = ["4.17.20", "4.17.21"].map { version in
            SoftwarePackage(
                ecosystem: .npm, name: "lodash", version: version,
                purl: PackageURL(type: "npm", name: "lodash", version: version), foundIn: "package.json",
                layer: layer)
        }
        let findings = try VulnerabilityMatcher(source: OneAdvisory(advisory: advisory)).findings(
            for: packages)
        #expect(findings.map(\.package.version) == ["4.17.20"])
    }

    @Test(
        "plain tar layers past the size budget fail with limitExceeded, also once earlier layers used it up")
    func plainTarBudget() async throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "x", count: 30_000)
        let store = try await Self.image([["a": big], ["b": big]], in: directory.path)
        let manifest = try await ImageManifest.decode(
            Data(store.fetch(store.resolve("v1")).collect(upTo: 1 << 20).readableBytesView))
        let sizes = manifest.layers.map(\.size)
        for budget in [sizes[0] - 1, sizes[0] + sizes[1] - 1] {
            let reader = ImageFilesystemReader(limits: ScanLimits(totalUncompressedBytes: budget))
            do {
                _ = try await reader.read(
                    manifest: manifest, configuration: nil, from: store, capture: { _ in nil })
                Issue.record("budget \(budget): the layers were read past the budget")
            } catch ScanError.limitExceeded {
            } catch {
                Issue.record("budget \(budget): expected limitExceeded, got \(error)")
            }
        }
        let exact = ImageFilesystemReader(limits: ScanLimits(totalUncompressedBytes: sizes[0] + sizes[1]))
        let filesystem = try await exact.read(
            manifest: manifest, configuration: nil, from: store, capture: { _ in nil })
        #expect(filesystem.files["b"] != nil, "a budget that fits reads every layer")
    }

    @Test("an image whose configuration is not an image configuration is refused with a clear error")
    func undecodableConfiguration() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.image(
            [["a": "x"]], configuration: Data(#"{"artifact":true}"#.utf8), in: directory.path)
        do {
            _ = try await ImageScanner(advisories: nil).scan("v1", in: store)
            Issue.record("an artifact's configuration was scanned as an image's")
        } catch ScanError.malformedMetadata(let path, _) {
            #expect(path.hasPrefix("configuration sha256:"))
        }
    }
}
