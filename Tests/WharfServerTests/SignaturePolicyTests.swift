import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage

@testable import WharfServer
@testable import WharfSign

@Suite("The signature policy in the embedded registry")
struct SignaturePolicyTests {
    @Test("a signed image costs no signature check after its first pull: the driver calls of an ungated pull")
    func cachedDecisions() async throws {
        let key = SigningKey.generate()
        let driver = CountingDriver(InMemoryDriver())
        let store = RegistryStore(driver: driver)
        var options = RegistryServerOptions()
        options.pullGates = [
            SignaturePolicy(rules: [
                SignaturePolicy.Rule(repositories: "prod/**", keys: [key.verificationKey])
            ])
        ]
        try await withRegistry(store: store, options: options) { client in
            for repository in ["prod/app", "dev/app"] {
                let manifest = try await ManifestEndpointTests.prepareImage(
                    client, repository: repository, seed: 1)
                let put = try await client.putManifest(
                    manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: repository,
                    reference: "v1")
                #expect(put.status == .created)
                try await ImageSigner(key: key).sign(
                    manifest.descriptor, identity: "registry.example.com/\(repository)",
                    in: try store.repository(repository))
            }
            func calls(_ path: String) async throws -> (HTTPResponse.Status, [String: Int]) {
                _ = driver.take()
                let response = try await client.send(.get, path)
                return (response.status, driver.take())
            }
            let ungated = try await calls("/v2/dev/app/manifests/v1")
            let first = try await calls("/v2/prod/app/manifests/v1")
            let second = try await calls("/v2/prod/app/manifests/v1")
            #expect(ungated.0 == .ok && first.0 == .ok && second.0 == .ok)
            #expect(
                first.1.values.reduce(0, +) > ungated.1.values.reduce(0, +),
                "the first pull reads the signatures: \(first.1)")
            #expect(second.1 == ungated.1, "later pulls cost what an ungated pull costs")
        }
    }

    @Test("RegistryMiddleware in an embedding application enforces the same policy")
    func middleware() async throws {
        let key = SigningKey.generate()
        let store = RegistryStore(driver: InMemoryDriver())
        let policy = SignaturePolicy(rules: [.init(repositories: "**", keys: [key.verificationKey])])
        var options = RegistryServerOptions()
        options.pullGates = [policy]
        let router = Router()
        router.add(middleware: RegistryMiddleware(store: store, options: options))
        router.get("/health") { _, _ in "ok" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let manifest = try await ManifestEndpointTests.prepareImage(
                client, repository: "team/app", seed: 2)
            _ = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "team/app",
                reference: "v1")
            let refused = try await client.send(.get, "/v2/team/app/manifests/v1")
            #expect(refused.status == .preconditionFailed)
            #expect(errorCodes(refused) == ["DENIED"])
            #expect(try await client.send(.get, "/health").status == .ok)
            try await ImageSigner(key: key).sign(
                manifest.descriptor, identity: "team/app", in: try store.repository("team/app"))
            // Signed behind the server's back (no push through it): the refusal stays cached
            // until invalidated, as the documentation says.
            #expect(try await client.send(.get, "/v2/team/app/manifests/v1").status == .preconditionFailed)
            policy.invalidate(repository: "team/app")
            #expect(try await client.send(.get, "/v2/team/app/manifests/v1").status == .ok)
        }
    }

    @Test(
        "repository rules: the first match applies, a rule without keys exempts"
    )
    func rules() {
        let key = SigningKey.generate().verificationKey
        let policy = SignaturePolicy(rules: [
            .init(repositories: "prod/public/**", keys: []), .init(repositories: "prod/**", keys: [key]),
        ])
        #expect(policy.rule(for: "prod/public/app")?.keys.isEmpty == true)
        #expect(policy.rule(for: "prod/app")?.keys == [key])
        #expect(policy.rule(for: "dev/app") == nil)
    }
}
