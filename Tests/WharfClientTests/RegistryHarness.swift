import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import WharfClient
import WharfServer
import WharfStorage
import WharfTestSupport

/// Runs an HTTP application with `responder` on an ephemeral loopback port and hands
/// `body` its `127.0.0.1:<port>`.
func withServer<Responder: HTTPResponder, T: Sendable>(
    _ responder: Responder, _ body: @Sendable (String) async throws -> T
) async throws -> T where Responder.Context == BasicRequestContext {
    let app = Application(
        responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    return try await app.test(.live) { client in
        guard let port = client.port else { throw HarnessError("the server reported no port") }
        return try await body("127.0.0.1:\(port)")
    }
}

/// Runs a Wharf registry over `store` with `options`.
func withWharf<T: Sendable>(
    store: RegistryStore = RegistryStore(driver: InMemoryDriver()),
    options: RegistryServerOptions = RegistryServerOptions(),
    _ body: @Sendable (String) async throws -> T
) async throws -> T {
    try await withServer(RegistryResponder<BasicRequestContext>(store: store, options: options), body)
}

/// The registries every client test runs against: Debian's Distribution and Wharf.
enum Peer: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case distribution
    case wharf

    var testDescription: String { rawValue }

    /// Runs `body` with the peer's address; Distribution's root lives in `directory`.
    func run<T: Sendable>(
        in directory: String, _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        switch self {
        case .distribution:
            return try await DistributionRegistry.with(
                root: directory + "/distribution-root", configDirectory: directory
            ) { registry in try await body(registry.address) }
        case .wharf:
            return try await withWharf(body)
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A client with small limits so that tests exercise retries quickly.
func testClient(
    _ address: String, _ configure: (inout RegistryClientConfiguration) -> Void = { _ in }
) throws -> RegistryClient {
    var configuration = RegistryClientConfiguration(
        retry: RetryPolicy(maximumAttempts: 4, initialDelay: .milliseconds(20)))
    configure(&configuration)
    return try RegistryClient(host: address, configuration: configuration)
}
