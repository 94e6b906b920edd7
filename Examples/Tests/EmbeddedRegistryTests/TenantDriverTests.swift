import Testing
import WharfContentTestKit
import WharfStorage
import WharfStorageTestKit

@testable import EmbeddedRegistry

@Suite("A storage driver of one's own")
struct TenantDriverTests {
    @Test("the tenant driver passes the storage-driver kit", arguments: StorageDriverTestKit.checks)
    func driverKit(_ check: StorageDriverTestKit.Check) async throws {
        try await check.run(on: TenantDriver(base: InMemoryDriver(), prefix: "/tenants/acme"))
    }

    @Test(
        "a registry repository on the tenant driver passes the content-store kit",
        arguments: ContentStoreTestKit.checks(including: [.delete, .referrers, .tagListing]))
    func contentKit(_ check: ContentStoreTestKit.Check) async throws {
        let store = RegistryStore(driver: TenantDriver(base: InMemoryDriver(), prefix: "/tenants/acme"))
        try await check.run(on: try store.repository("team/app"))
    }

    @Test("two tenants on one backend do not see each other's repositories")
    func tenantsAreApart() async throws {
        let shared = InMemoryDriver()
        let acme = RegistryStore(driver: TenantDriver(base: shared, prefix: "/tenants/acme"))
        let globex = RegistryStore(driver: TenantDriver(base: shared, prefix: "/tenants/globex"))
        let upload = try await acme.repository("team/app").startUpload()
        let bytes = ByteBuffer(string: "hello")
        try await upload.commit(
            digest: DigestHasher.digest(of: Array(bytes.readableBytesView)), finalChunk: ByteStream(bytes))
        #expect(try await acme.repository("team/app").exists())
        #expect(try await !globex.repository("team/app").exists())
    }
}
