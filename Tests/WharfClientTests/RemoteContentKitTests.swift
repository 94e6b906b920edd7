import Testing
import WharfClient
import WharfContentTestKit
import WharfTestSupport

@Suite("Remote repositories under the content-store kit")
struct RemoteContentKitTests {
    @Test(
        "a remote repository passes the content-store kit against each registry",
        .tags(.interop), .enabled(if: DistributionRegistry.tool.shouldRun), arguments: Peer.allCases)
    func remote(_ peer: Peer) async throws {
        let directory = try TemporaryDirectory()
        try await peer.run(in: directory.path) { address in
            let client = try testClient(address)
            let checks = ContentStoreTestKit.checks(including: [
                .delete, .referrers, .tagListing, .referencePush,
            ])
            // One registry for every check, each in a repository of its own.
            for (number, check) in checks.enumerated() {
                do {
                    try await check.run(on: try client.repository("kit/check-\(number)"))
                } catch {
                    Issue.record("\(check.name): \(error)")
                }
            }
        }
    }
}
