import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfStorageTestKit
import WharfTestSupport

@Suite("Storage driver conformance")
struct DriverConformanceTests {
    @Test("the in-memory driver passes the driver test kit", arguments: StorageDriverTestKit.checks)
    func inMemory(_ check: StorageDriverTestKit.Check) async throws {
        try await check.run(on: InMemoryDriver())
    }

    @Test("the filesystem driver passes the driver test kit", arguments: StorageDriverTestKit.checks)
    func fileSystem(_ check: StorageDriverTestKit.Check) async throws {
        let directory = try TemporaryDirectory()
        try await check.run(on: FileSystemDriver(rootDirectory: directory.appending("root")))
    }
}

@Suite("Storage paths")
struct StoragePathTests {
    @Test(
        "reject traversal, empty components and foreign characters",
        arguments: [
            "", "a", "/a/../b", "/..", "/.", "/a//b", "/a/", "/a b", "/a\u{0}b", "/ä", "/a/./b", "/a\\b",
            "/%2e%2e",
        ])
    func rejects(input: String) {
        #expect(throws: StorageError.self) { try StoragePath(input) }
    }

    @Test("accept Distribution's path alphabet and order paths depth first")
    func acceptsAndOrders() throws {
        #expect(try StoragePath("/docker/registry/v2/repositories/a-b_c.d/_manifests").components.count == 6)
        #expect(try StoragePath("/a/b") < StoragePath("/a/b/c"))
        #expect(try StoragePath("/a/b/c") < StoragePath("/a/b-c"))
        #expect(throws: StorageError.self) { try StoragePath.root.appending("ok", "../escape") }
        #expect(throws: StorageError.self) { try StoragePath.root.appending("a/../../b") }
    }
}

@Suite("Storage driver test kit")
struct DriverTestKitTests {
    /// A driver that breaks the contract in one way: it lists children in reverse.
    struct ReversedListingDriver: StorageDriver {
        let base = InMemoryDriver()
        var name: String { "reversed" }
        func getContent(_ path: StoragePath, limit: Int) async throws -> ByteBuffer {
            try await base.getContent(path, limit: limit)
        }
        func putContent(_ path: StoragePath, _ content: ByteBuffer) async throws {
            try await base.putContent(path, content)
        }
        func reader(_ path: StoragePath, offset: Int64) async throws -> ByteStream {
            try await base.reader(path, offset: offset)
        }
        func writer(_ path: StoragePath, append: Bool) async throws -> any StorageFileWriter {
            try await base.writer(path, append: append)
        }
        func stat(_ path: StoragePath) async throws -> StorageFileInfo { try await base.stat(path) }
        func list(_ path: StoragePath) async throws -> [StoragePath] { try await base.list(path).reversed() }
        func move(from source: StoragePath, to destination: StoragePath) async throws {
            try await base.move(from: source, to: destination)
        }
        func delete(_ path: StoragePath) async throws { try await base.delete(path) }
        func walk(
            _ path: StoragePath, startAfter: StoragePath?,
            visit: (StorageFileInfo) async throws -> WalkDecision
        ) async throws {
            try await listingWalk(path, startAfter: startAfter, visit: visit)
        }
    }

    @Test("fails a driver that breaks the contract, naming what it expected")
    func catchesBrokenDriver() async throws {
        var failures: [String] = []
        for check in StorageDriverTestKit.checks {
            do {
                try await check.run(on: ReversedListingDriver())
            } catch {
                failures.append("\(check.name): \(error)")
            }
        }
        #expect(failures.contains { $0.hasPrefix("list returns the direct children, sorted") })
        #expect(failures.contains { $0.hasPrefix("walk visits every entry depth first") })
        #expect(
            !failures.contains { $0.hasPrefix("putContent then getContent") }, "unrelated checks still pass")
    }
}
