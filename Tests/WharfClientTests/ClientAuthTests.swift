import Foundation
import NIOCore
import Testing
import WharfClient
import WharfContent
import WharfServer
import WharfServerAuth
import WharfServerTestSupport
import WharfStorage
import WharfTestSupport

@Suite(
    "Client authentication: Basic and bearer tokens against Distribution and Wharf",
    .tags(.interop),
    .enabled(
        if: ExternalTool.htpasswd.shouldRun && ExternalTool.openssl.shouldRun
            && DistributionRegistry.tool.shouldRun))
struct ClientAuthTests {
    static let alice = RegistryCredentials(username: "alice", password: "alice-secret")
    static let bob = RegistryCredentials(username: "bob", password: "bob-secret")

    static func image() throws -> TestImage {
        try TestImage(layers: [Array("auth layer".utf8), Array(repeating: 7, count: 40_000)])
    }

    @Test("Basic credentials from htpasswd work against Distribution; none or wrong ones get a typed 401")
    func basicAgainstDistribution() async throws {
        let directory = try TemporaryDirectory()
        let htpasswd = try await AuthFixture.htpasswd(in: directory.path, users: [("alice", "alice-secret")])
        let auth = """
            auth:
              htpasswd:
                realm: wharf-test
                path: \(htpasswd)
            """
        let image = try Self.image()
        try await DistributionRegistry.with(
            root: directory.appending("root"), configDirectory: directory.path, extraConfiguration: auth
        ) { registry in
            let repository = try testClient(registry.address) {
                $0.credentials = StaticCredentials(Self.alice)
            }
            .repository("team/app")
            try await image.push(to: repository, tags: ["v1"])
            try await Self.exerciseOperations(address: registry.address, credentials: Self.alice)
            #expect(try await repository.resolve("v1").digest == image.manifestDescriptor.digest)
            for credentials in [nil, RegistryCredentials(username: "alice", password: "wrong")] {
                let other = try testClient(registry.address) {
                    $0.credentials = StaticCredentials(credentials)
                }
                .repository("team/app")
                await #expect {
                    _ = try await other.tags()
                } throws: { error in
                    (error as? RegistryClientError)?.status == 401
                        && (error as? RegistryClientError)?.codes == ["UNAUTHORIZED"]
                }
            }
        }
    }

    @Test("Distribution with token auth trusting Wharf's token service: the client runs the whole token flow")
    func tokensFromWharfForDistribution() async throws {
        let directory = try TemporaryDirectory()
        let options = try await Self.tokenOptions(in: directory.path)
        let root = directory.appending("root")
        let configDirectory = directory.path
        let image = try Self.image()
        try await withWharf(options: options) { wharf in
            let auth = TokenRegistryFixture.distributionAuth(wharf: wharf, directory: configDirectory)
            try await DistributionRegistry.with(
                root: root, configDirectory: configDirectory, extraConfiguration: auth
            ) {
                registry in
                let repository = try testClient(registry.address) {
                    $0.credentials = StaticCredentials(Self.alice)
                }
                .repository("team/app")
                try await image.push(to: repository, tags: ["v1"])
                try await Self.exerciseOperations(address: registry.address, credentials: Self.alice)
                let reader = try testClient(registry.address) { $0.credentials = StaticCredentials(Self.bob) }
                    .repository("team/app")
                #expect(try await reader.tags() == ["v1"])
                let layer = try await reader.fetch(image.layerDescriptors[1]).collect(upTo: 1 << 20)
                #expect(Array(layer.readableBytesView) == image.layers[1])
                await #expect(throws: RegistryClientError.self, "bob's token lists pull only") {
                    try await reader.push(
                        Descriptor(mediaType: .ociLayer, bytes: Array("bob's".utf8)),
                        content: ByteStream(ByteBuffer(string: "bob's")))
                }
            }
        }
    }

    @Test("against Wharf: tokens are cached per scope, and a known refusal is 403 DENIED")
    func tokensAgainstWharf() async throws {
        let directory = try TemporaryDirectory()
        let options = try await Self.tokenOptions(in: directory.path)
        let responder = FaultInjectingResponder(
            store: RegistryStore(driver: InMemoryDriver()), options: options, fault: .none)
        let image = try Self.image()
        try await withServer(responder) { address in
            let repository = try testClient(address) { $0.credentials = StaticCredentials(Self.alice) }
                .repository("team/app")
            try await image.push(to: repository, tags: ["v1", "v2"])
            let afterFirst = responder.log.count(matching: "/token")
            #expect(afterFirst >= 1 && afterFirst <= 3, "one token per scope set: \(responder.log.all)")
            try await image.push(to: repository, tags: ["v3"])
            #expect(responder.log.count(matching: "/token") == afterFirst, "cached tokens are reused")
            try await Self.exerciseOperations(address: address, credentials: Self.alice)

            let bob = try testClient(address) { $0.credentials = StaticCredentials(Self.bob) }.repository(
                "team/app")
            #expect(try await bob.tags() == ["v1", "v2", "v3"])
            await #expect {
                try await bob.push(
                    Descriptor(mediaType: .ociLayer, bytes: Array("bob's".utf8)),
                    content: ByteStream(ByteBuffer(string: "bob's")))
            } throws: { error in
                (error as? RegistryClientError)?.status == 403
                    && (error as? RegistryClientError)?.codes == ["DENIED"]
            }
        }
    }

    /// Chunked push, tags across pages, a cross-repository mount, delete — with
    /// `credentials`, under whatever authentication the registry at `address` runs.
    static func exerciseOperations(address: String, credentials: RegistryCredentials) async throws {
        let client = try testClient(address) {
            $0.credentials = StaticCredentials(credentials)
            $0.monolithicPushLimit = 0
            $0.chunkSize = 50_000
        }
        var generator = SeededGenerator(seed: 77)
        let image = try TestImage(layers: [
            (0..<180_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        ])
        let first = try client.repository("team/ops")
        try await image.push(to: first, tags: ["a", "b", "c"])
        #expect(try await first.tags(pageSize: 1) == ["a", "b", "c"])
        let second = try client.repository("team/ops-copy")
        #expect(
            try await second.pushBlob(
                image.layerDescriptors[0], content: ByteStream(ByteBuffer(bytes: image.layers[0])),
                mountFrom: "team/ops")
                == .mounted(from: "team/ops"))
        try await first.delete(image.manifestDescriptor)
        await #expect(throws: ContentError.referenceNotFound("a", location: "\(client.host)/team/ops")) {
            try await first.resolve("a")
        }
    }

    static func tokenOptions(in directory: String) async throws -> RegistryServerOptions {
        try await TokenRegistryFixture.options(in: directory)
    }
}
