import Testing
import WharfContentTestKit
import WharfImage
import WharfTestSupport

@Suite("OCI layouts under the content-store kit")
struct LayoutContentKitTests {
    @Test(
        "OCILayoutStore passes the content-store kit",
        arguments: ContentStoreTestKit.checks(including: [.delete, .referrers, .tagListing]))
    func layout(_ check: ContentStoreTestKit.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(on: try await OCILayoutStore(root: directory.appending("layout")))
    }
}
