import Foundation
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

/// Retention running on its schedule while four clients push, retag and pull.
@Suite(
    "Retention alongside pushes and pulls", .tags(.interop), .timeLimit(.minutes(3)),
    .enabled(if: ExternalTool.skopeo.shouldRun && ExternalTool.umoci.shouldRun && ExternalTool.curl.shouldRun)
)
struct RetentionConcurrencyTests {
    @Test("no image pushed or tagged meanwhile is lost, no request gets a 5xx, and old builds do go")
    func concurrentClients() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        try await TinyImages.push(60, to: try store.repository("ci/app"), prefix: "build")
        try TinyImages.backdate(root, by: 2 * 86_400)
        let config = directory.appending("wharf.yaml")
        try """
        root: root
        retention:
          schedule: 1s
          rules:
            - { repositories: "ci/**", latestPushedK: 5 }
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let (server, address) = try await ServeCommandTests.start([
            "--config", config, "--address", "127.0.0.1:0",
        ])
        defer { server.terminate() }
        let layoutDigests = [
            "v1": try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v1"),
            "v2": try await SignaturePolicyServeTests.layoutDigest(layout, tag: "v2"),
        ]
        let manifestURL = "http://\(address)/v2/ci/app/manifests/"
        let scratch = directory.path
        let accept = ["-H", "Accept: application/vnd.oci.image.manifest.v1+json"]

        // Each client: pulls of old builds, retags of old builds, pushes of new images.
        let outcomes = try await withThrowingTaskGroup(of: ([String: OCIDigest], [Int]).self) { group in
            for client in 0..<4 {
                group.addTask {
                    var tagged: [String: OCIDigest] = [:]
                    var statuses: [Int] = []
                    for step in 0..<12 {
                        let build = "build-\((client * 13 + step * 7) % 60)"
                        switch step % 3 {
                        case 0:
                            let status = try await ExternalTool.curl.run(
                                ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + accept + [
                                    manifestURL + build
                                ])
                            statuses.append(Int(status) ?? 0)
                        case 1:
                            let file = "\(scratch)/manifest-\(client)-\(step)"
                            let got = try await ExternalTool.curl.run(
                                ["-s", "-o", file, "-w", "%{http_code}"] + accept + [manifestURL + build])
                            statuses.append(Int(got) ?? 0)
                            guard got == "200" else { continue }
                            let tag = "keep-\(client)-\(step)"
                            let put = try await ExternalTool.curl.run([
                                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H",
                                "Content-Type: application/vnd.oci.image.manifest.v1+json", "--data-binary",
                                "@\(file)",
                                manifestURL + tag,
                            ])
                            statuses.append(Int(put) ?? 0)
                            if put == "201" {
                                tagged[tag] = DigestHasher.digest(
                                    of: Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                            }
                        default:
                            let source = step % 2 == 0 ? "v1" : "v2"
                            let tag = "new-\(client)-\(step)"
                            try await ExternalTool.skopeo.run([
                                "copy", "--dest-tls-verify=false", "oci:\(layout):\(source)",
                                "docker://\(address)/ci/app:\(tag)",
                            ])
                            tagged[tag] = layoutDigests[source]
                        }
                    }
                    return (tagged, statuses)
                }
            }
            var all: [([String: OCIDigest], [Int])] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        // One more scheduled run after every client is done, then stop.
        #expect(await server.waitForLine { $0.contains("retention finished") } != nil)
        server.terminate()
        #expect(await server.waitForExit() == 0)

        let statuses = outcomes.flatMap(\.1)
        #expect(!statuses.isEmpty && statuses.allSatisfy { $0 < 500 }, "\(statuses)")
        #expect(statuses.allSatisfy { [200, 201, 404].contains($0) }, "\(statuses)")
        let repository = try store.repository("ci/app")
        let tagged = outcomes.reduce(into: [String: OCIDigest]()) { $0.merge($1.0) { first, _ in first } }
        #expect(tagged.count >= 16, "every client pushed")
        for (tag, digest) in tagged.sorted(by: { $0.key < $1.key }) {
            #expect(try await repository.tagTarget(tag) == digest, "\(tag) survived")
            let manifest = try ImageManifest.decode(
                Data(try await repository.manifest(tag).bytes.readableBytesView))
            #expect(try await repository.blob(manifest.config.digest) != nil, "\(tag)'s config survived")
        }
        let builds = try await repository.tags().filter { $0.hasPrefix("build-") }
        #expect(builds.count < 60, "retention removed old builds meanwhile (\(builds.count) left)")
    }
}
