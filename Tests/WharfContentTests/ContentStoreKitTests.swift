import Testing
import WharfContent
import WharfContentTestKit

@Suite("The content-store test kit")
struct ContentStoreKitTests {
    @Test(
        "MemoryStore passes the content-store kit",
        arguments: ContentStoreTestKit.checks(including: [.delete, .referrers, .tagListing]))
    func memoryStore(_ check: ContentStoreTestKit.Check) async throws {
        try await check.run(on: MemoryStore())
    }

    @Test("a store that trusts pushed bytes, or loses not-found errors, fails the checks that say so")
    func brokenStoreFails() async throws {
        var failures: [String] = []
        for check in ContentStoreTestKit.checks(including: [.delete]) {
            do {
                try await check.run(on: CarelessStore())
            } catch {
                failures.append(check.name)
            }
        }
        #expect(failures.contains { $0.hasPrefix("a push whose bytes do not hash to the digest") })
        #expect(failures.contains { $0.hasPrefix("a push of fewer or more bytes than the size") })
        #expect(failures.contains { $0.hasPrefix("fetch of content the store lacks") })
        #expect(
            failures.contains { $0.hasPrefix("delete removes") },
            "a store without ContentDeleter fails .delete")
        #expect(!failures.contains { $0.hasPrefix("push then fetch returns the same bytes") })
        #expect(!failures.contains { $0.hasPrefix("a tag resolves to the manifest it names") })
    }
}

/// A store that keeps whatever it is handed without checking it, and answers a fetch of
/// missing content with an error of its own.
private actor CarelessStore: ContentTarget {
    private var contents: [OCIDigest: ByteBuffer] = [:]
    private var tags: [String: Descriptor] = [:]
    private var descriptors: [OCIDigest: Descriptor] = [:]

    struct Missing: Error {}

    func fetch(_ descriptor: Descriptor) throws -> ByteStream {
        guard let bytes = contents[descriptor.digest] else { throw Missing() }
        return ByteStream(bytes)
    }

    func exists(_ descriptor: Descriptor) -> Bool { contents[descriptor.digest] != nil }

    func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        let bytes = try await content.collect(upTo: 64 << 20)
        contents[descriptor.digest] = bytes
        descriptors[descriptor.digest] = descriptor
    }

    func resolve(_ reference: String) throws -> Descriptor {
        if let tagged = tags[reference] { return tagged }
        if let digest = try? OCIDigest(parsing: reference), let descriptor = descriptors[digest] {
            return descriptor
        }
        throw ContentError.referenceNotFound(reference)
    }

    func tag(_ descriptor: Descriptor, as reference: String) throws {
        guard contents[descriptor.digest] != nil else { throw ContentError.notFound(descriptor.digest) }
        tags[reference] = descriptor
    }
}
