import Testing
import WharfContentTestKit
import WharfStorage
import WharfTestSupport

@Suite("Server storage under the content-store kit")
struct RepositoryContentKitTests {
    @Test(
        "a repository on the in-memory driver passes the content-store kit",
        arguments: ContentStoreTestKit.checks(including: [.delete, .referrers, .tagListing]))
    func inMemory(_ check: ContentStoreTestKit.Check) async throws {
        try await check.run(on: try RegistryStore(driver: InMemoryDriver()).repository("kit/app"))
    }

    @Test(
        "a repository on the filesystem driver passes the content-store kit",
        arguments: ContentStoreTestKit.checks(including: [.delete, .referrers, .tagListing]))
    func fileSystem(_ check: ContentStoreTestKit.Check) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: directory.appending("root")))
        try await check.run(on: try store.repository("kit/app"))
    }
}
