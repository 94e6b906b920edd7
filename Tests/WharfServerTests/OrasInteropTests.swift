import Foundation
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("Interop with the ORAS artifact client", .tags(.interop), .enabled(if: PythonModule.oras.shouldRun))
struct OrasInteropTests {
    @Test("ORAS pushes an artifact of several files to Wharf and pulls it back byte-identical")
    func artifactRoundTrip() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededGenerator(seed: 21)
        let large = (0..<3_000_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        try Data(large).write(to: URL(fileURLWithPath: directory.appending("large.bin")))
        try "hello artifact\n".write(
            toFile: directory.appending("note.txt"), atomically: true, encoding: .utf8)
        let store = RegistryStore(driver: InMemoryDriver())
        let workdir = directory.path
        try await withRegistry(store: store) { client in
            let registry = "127.0.0.1:\(try #require(client.port))"
            let script = """
                import hashlib, json, os, oras.client
                client = oras.client.OrasClient(hostname="\(registry)", insecure=True)
                pushed = client.push(target="\(registry)/artifacts/bundle:v1", files=["note.txt", "large.bin"])
                assert pushed.status_code == 201, pushed.status_code
                os.makedirs("out", exist_ok=True)
                files = client.pull(target="\(registry)/artifacts/bundle:v1", outdir="out")
                digest = lambda path: hashlib.sha256(open(path, "rb").read()).hexdigest()
                print(json.dumps({
                    "files": sorted(os.path.basename(f) for f in files),
                    "same": all(digest(n) == digest("out/" + n) for n in ["note.txt", "large.bin"]),
                    "tags": client.get_tags("\(registry)/artifacts/bundle"),
                }))
                """
            try script.write(toFile: workdir + "/oras-check.py", atomically: true, encoding: .utf8)
            let output = try await ProcessRunner.run(
                "/usr/bin/env", ["python3", "oras-check.py"], in: workdir)
            struct Result: Decodable {
                var files: [String]
                var same: Bool
                var tags: [String]
            }
            let result = try JSONDecoder().decode(Result.self, from: Data(output.utf8))
            #expect(result.files == ["large.bin", "note.txt"])
            #expect(result.same, "pulled files equal the pushed ones")
            #expect(result.tags == ["v1"])
            // What ORAS stored is an OCI manifest whose layers are the two files.
            let manifest = try await store.repository("artifacts/bundle").manifest("v1")
            #expect(manifest.0.mediaType == .ociManifest)
        }
    }
}
