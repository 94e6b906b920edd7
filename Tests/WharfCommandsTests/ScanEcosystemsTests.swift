import Foundation
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfTestSupport

@Suite(
    "wharf scan across ecosystems",
    .enabled(if: FileManager.default.fileExists(atPath: "/var/lib/dpkg/status") && ExternalTool.go.shouldRun))
struct ScanEcosystemsTests {
    /// Writes `files` (path → content) under `root`, executables where the path says so.
    static func write(_ files: [String: String], under root: String) throws {
        for (path, content) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try content.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    @Test("an image with Debian, Python, npm and Go packages and an OSV zip: exactly the expected findings")
    func exactFindings() async throws {
        let directory = try TemporaryDirectory()
        let work = directory.path
        // Layer 1: this machine's Debian package database.
        let debian = work + "/l1"
        try FileManager.default.createDirectory(
            atPath: debian + "/var/lib/dpkg", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: debian + "/etc", withIntermediateDirectories: true)
        try Data(contentsOf: URL(fileURLWithPath: "/var/lib/dpkg/status")).write(
            to: URL(fileURLWithPath: debian + "/var/lib/dpkg/status"))
        try Data(contentsOf: URL(fileURLWithPath: "/etc/os-release")).write(
            to: URL(fileURLWithPath: debian + "/etc/os-release"))
        // Layer 2: Python and npm packages.
        try Self.write(
            [
                "usr/lib/python3/dist-packages/Requests-2.31.0.dist-info/METADATA":
                    "Metadata-Version: 2.1\r\nName: Requests\r\nVersion: 2.31.0\r\n\r\nbody\r\n",
                "usr/lib/python3/dist-packages/urllib3-2.2.0.dist-info/METADATA":
                    "Metadata-Version: 2.1\nName: urllib3\nVersion: 2.2.0\n",
                "srv/app/node_modules/lodash/package.json": #"{"name":"lodash","version":"4.17.20"}"#,
                "srv/app/node_modules/@scope/tool/package.json": #"{"name":"@scope/tool","version":"1.0.0"}"#,
            ], under: work + "/l2")
        // Layer 3: a Go program built here.
        try Self.write(
            [
                "src/go.mod": "module example.com/app\n\ngo 1.19\n",
                "src/main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n",
            ], under: work)
        try FileManager.default.createDirectory(
            atPath: work + "/l3/usr/local/bin", withIntermediateDirectories: true)
        _ = try await shell(
            "cd src && GOPROXY=off GOCACHE=\(work)/cache CGO_ENABLED=0 go build -trimpath -o \(work)/l3/usr/local/bin/app .",
            in: work)
        let layout = work + "/layout"
        try await Self.layout(at: layout, layers: [debian, work + "/l2", work + "/l3"], work: work)

        // The advisory database: a zip, as OSV publishes them, written by Python's zipfile.
        let release = try await ProcessRunner.run(
            "/bin/sh", ["-c", ". /etc/os-release; printf %s $VERSION_ID"])
        let bashVersion = try await ProcessRunner.run(
            "/usr/bin/dpkg-query", ["-W", "-f=${source:Version}", "bash"])
        let advisories: [String: String] = [
            "DSA-1.json":
                #"{"id":"DSA-1","affected":[{"package":{"ecosystem":"Debian:\#(release)","name":"bash"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(bashVersion)+1"}]}]}]}"#,
            "DSA-2.json":
                #"{"id":"DSA-2","affected":[{"package":{"ecosystem":"Debian:\#(release)","name":"bash"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.0-1"}]}]}]}"#,
            "PYSEC-1.json":
                #"{"id":"PYSEC-1","affected":[{"package":{"ecosystem":"PyPI","name":"requests"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0"},{"fixed":"2.32.0"}]}]}]}"#,
            "PYSEC-2.json":
                #"{"id":"PYSEC-2","affected":[{"package":{"ecosystem":"PyPI","name":"urllib3"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.2.0"}]}]}]}"#,
            "GHSA-1.json":
                #"{"id":"GHSA-1","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}"#,
            "GHSA-2.json":
                #"{"id":"GHSA-2","affected":[{"package":{"ecosystem":"npm","name":"@scope/tool"},"ranges":[{"type":"SEMVER","events":[{"introduced":"2.0.0"}]}]}]}"#,
            "GO-1.json":
                #"{"id":"GO-1","affected":[{"package":{"ecosystem":"Go","name":"stdlib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"99.0.0"}]}]}]}"#,
            "GO-2.json":
                #"{"id":"GO-2","affected":[{"package":{"ecosystem":"Go","name":"stdlib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.1"}]}]}]}"#,
            "ALPINE-1.json":
                #"{"id":"ALPINE-1","affected":[{"package":{"ecosystem":"Alpine:v3.19","name":"bash"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"#,
        ]
        try FileManager.default.createDirectory(atPath: work + "/osv", withIntermediateDirectories: true)
        for (name, json) in advisories {
            try json.write(toFile: work + "/osv/" + name, atomically: true, encoding: .utf8)
        }
        _ = try await shell(
            "python3 -c 'import zipfile,os; z=zipfile.ZipFile(\"all.zip\",\"w\",zipfile.ZIP_DEFLATED); [z.write(\"osv/\"+n, n) for n in sorted(os.listdir(\"osv\"))]; z.close()'",
            in: work)

        let result = try await WharfBinary.run(
            ["scan", "oci:\(layout):v1", "--db", work + "/all.zip", "--format", "json"], home: work + "/home")
        try #require(result.status == 0, "\(String(decoding: result.standardError, as: UTF8.self))")
        struct Report: Decodable {
            struct Finding: Decodable {
                struct Package: Decodable { var name: String; var foundIn: String }
                var advisoryID: String
                var package: Package
            }
            var findings: [Finding]
        }
        let report = try JSONDecoder().decode(Report.self, from: result.standardOutput)
        let found = Set(report.findings.map { "\($0.advisoryID) \($0.package.name)" })
        #expect(found == ["DSA-1 bash", "PYSEC-1 Requests", "GHSA-1 lodash", "GO-1 stdlib"])
        #expect(report.findings.first { $0.advisoryID == "GO-1" }?.package.foundIn == "usr/local/bin/app")
    }

    /// Packs each directory into a gzip layer of a single-image OCI layout tagged v1.
    static func layout(at path: String, layers: [String], work: String) async throws {
        let store = try await OCILayoutStore(root: path)
        var descriptors: [Descriptor] = []
        var diffIDs: [String] = []
        for (index, directory) in layers.enumerated() {
            let tar = "\(work)/layer\(index).tar"
            _ = try await ProcessRunner.run(
                "/bin/sh", ["-c", "tar -C '\(directory)' -cf '\(tar)' . && gzip -kf '\(tar)'"])
            let compressed = try Data(contentsOf: URL(fileURLWithPath: tar + ".gz"))
            let descriptor = Descriptor(mediaType: .ociLayerGzip, bytes: Array(compressed))
            try await store.push(descriptor, content: ByteStream(ByteBuffer(bytes: compressed)))
            descriptors.append(descriptor)
            diffIDs.append(
                "\"\(DigestHasher.digest(of: Array(try Data(contentsOf: URL(fileURLWithPath: tar)))))\"")
        }
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[\#(diffIDs.joined(separator: ","))]}}"#
                .utf8)
        let configDescriptor = Descriptor(mediaType: .ociConfig, bytes: config)
        try await store.push(configDescriptor, content: ByteStream(ByteBuffer(bytes: config)))
        let manifest = try ManifestDocument(ImageManifest(config: configDescriptor, layers: descriptors))
        try await store.push(manifest.descriptor, content: ByteStream(ByteBuffer(bytes: manifest.bytes)))
        try await store.tag(manifest.descriptor, as: "v1")
    }
}
