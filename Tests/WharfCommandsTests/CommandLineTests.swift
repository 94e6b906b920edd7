import Foundation
import NIOCore
import Testing
import WharfImage
import WharfTestSupport

@Suite("wharf command line")
struct CommandLineTests {
    @Test(
        "wharf digest prints the same SHA-256 as an independent implementation",
        .tags(.interop), .enabled(if: ExternalTool.openssl.shouldRun))
    func digestMatchesOpenSSL() async throws {
        let directory = try TemporaryDirectory()
        let file = directory.appending("data")
        var generator = SeededGenerator(seed: 7)
        try Data((0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(
            to: URL(fileURLWithPath: file))
        let result = try await WharfBinary.run(["digest", file])
        #expect(result.status == 0)
        let ours = String(decoding: result.standardOutput, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let theirs = try await ExternalTool.openssl.run(["dgst", "-sha256", "-r", file])
        #expect(ours == "sha256:" + (theirs.split(separator: " ").first.map(String.init) ?? ""))
        let sha512 = try await WharfBinary.run(["digest", "--algorithm", "sha512", file])
        let theirs512 = try await ExternalTool.openssl.run(["dgst", "-sha512", "-r", file])
        #expect(
            String(decoding: sha512.standardOutput, as: UTF8.self).hasPrefix(
                "sha512:" + (theirs512.split(separator: " ").first.map(String.init) ?? "-")))
    }

    @Test("wharf digest fails with a message and a non-zero status for a missing file or unknown algorithm")
    func digestErrors() async throws {
        let missing = try await WharfBinary.run(["digest", "/nonexistent/wharf-file"])
        #expect(missing.status != 0)
        #expect(String(decoding: missing.standardError, as: UTF8.self).contains("/nonexistent/wharf-file"))
        let unknown = try await WharfBinary.run(["digest", "--algorithm", "md5", "/etc/hostname"])
        #expect(unknown.status != 0)
        #expect(String(decoding: unknown.standardError, as: UTF8.self).contains("unsupported algorithm"))
    }

    @Test(
        "wharf layout ls lists tags, digests and media types of a umoci layout",
        .tags(.interop), .enabled(if: ExternalTool.umoci.shouldRun))
    func layoutList() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let store = try await OCILayoutStore(root: layout, create: false)
        let v1 = try await store.resolve("v1")
        let table = try await WharfBinary.run(["layout", "ls", layout])
        #expect(table.status == 0)
        let text = String(decoding: table.standardOutput, as: UTF8.self)
        #expect(text.hasPrefix("TAG"))
        let rows = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            rows.contains(["v1", v1.digest.description, OCIMediaType.ociManifest.rawValue, String(v1.size)]))
        let json = try await WharfBinary.run(["layout", "ls", "--json", layout])
        let entries = try JSONSerialization.jsonObject(with: json.standardOutput) as? [[String: Any]]
        #expect(entries?.compactMap { $0["tag"] as? String } == ["base", "v1", "v2"])
    }

    @Test(
        "wharf manifest --layout prints the exact stored bytes, by tag and by digest",
        .tags(.interop), .enabled(if: ExternalTool.umoci.shouldRun))
    func manifestPrintsExactBytes() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let store = try await OCILayoutStore(root: layout, create: false)
        let v2 = try await store.resolve("v2")
        let stored = try Data(contentsOf: URL(fileURLWithPath: store.blobPath(v2.digest)))
        for reference in ["v2", v2.digest.description] {
            let result = try await WharfBinary.run(["manifest", "--layout", layout, reference])
            #expect(result.status == 0)
            #expect(result.standardOutput == stored)
        }
        let missing = try await WharfBinary.run(["manifest", "--layout", layout, "nope"])
        #expect(missing.status != 0)
        #expect(String(decoding: missing.standardError, as: UTF8.self).contains("nope"))
    }

    @Test("wharf layout ls refuses a directory that is not a layout")
    func layoutListRefusesNonLayout() async throws {
        let directory = try TemporaryDirectory()
        let result = try await WharfBinary.run(["layout", "ls", directory.path])
        #expect(result.status != 0)
        #expect(
            String(decoding: result.standardError, as: UTF8.self).contains("not a valid OCI image layout"))
        #expect(
            !FileManager.default.fileExists(atPath: directory.appending("oci-layout")),
            "listing never creates a layout")
    }
}
