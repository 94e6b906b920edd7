import Foundation
import Testing
import WharfClient
import WharfContent
import WharfImage
import WharfStorage
import WharfTestSupport

/// Retention running on its schedule while four clients push, retag and pull.
@Suite(
    "Retention alongside pushes and pulls", .tags(.interop), .timeLimit(.minutes(3)),
    .enabled(if: ExternalTool.umoci.shouldRun)
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
        // Wharf's own client, in process (dozens of child processes at once trip a
        // Foundation bug in Process.run under load); no retries, so a 5xx would surface.
        let client = try RegistryClient(
            host: address, configuration: RegistryClientConfiguration(insecure: true, retry: .none))
        let remote = try client.repository("ci/app")
        let source = try await OCILayoutStore(root: layout, create: false)

        /// The status of a failed request; not-found answers count as 404.
        @Sendable func status(of error: any Error) -> Int {
            switch error {
            case let error as RegistryClientError: error.status ?? 0
            case ContentError.notFound, ContentError.referenceNotFound: 404
            default: -1
            }
        }

        // Each client: pulls of old builds, retags of old builds, pushes of new images.
        let outcomes = try await withThrowingTaskGroup(of: ([String: OCIDigest], [Int]).self) { group in
            for client in 0..<4 {
                group.addTask {
                    var tagged: [String: OCIDigest] = [:]
                    var statuses: [Int] = []
                    for step in 0..<12 {
                        let build = "build-\((client * 13 + step * 7) % 60)"
                        do {
                            switch step % 3 {
                            case 0:
                                let descriptor = try await remote.resolve(build)
                                _ = try await remote.fetch(descriptor).collect(upTo: 1 << 20)
                                statuses.append(200)
                            case 1:
                                let descriptor = try await remote.resolve(build)
                                let bytes = try await remote.fetch(descriptor).collect(upTo: 1 << 20)
                                let tag = "keep-\(client)-\(step)"
                                try await remote.pushManifest(
                                    descriptor, content: ByteStream(bytes), reference: tag)
                                statuses.append(201)
                                tagged[tag] = descriptor.digest
                            default:
                                let image = step % 2 == 0 ? "v1" : "v2"
                                let tag = "new-\(client)-\(step)"
                                try await copyGraph(
                                    from: source, root: .reference(image), to: remote, as: tag)
                                statuses.append(201)
                                tagged[tag] = layoutDigests[image]
                            }
                        } catch {
                            statuses.append(status(of: error))
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
        #expect(outcomes.flatMap(\.1).filter { $0 == 201 }.count == tagged.count)
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
