import Foundation
import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("wharf gc")
struct GarbageCollectCommandTests {
    @Test("wharf gc --dry-run reports, wharf gc deletes, and --grace keeps recent blobs")
    func collectsFromTheCommandLine() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let bytes = Array("garbage nobody references".utf8)
        let digest = DigestHasher.digest(of: bytes)
        try await store.repository("a").startUpload().commit(
            digest: digest, finalChunk: ByteStream(ByteBuffer(bytes: bytes)))

        let kept = try await WharfBinary.run(["gc", "--root", root, "--grace", "1h", "--json"])
        #expect(kept.status == 0)
        let keptReport = try JSONSerialization.jsonObject(with: kept.standardOutput) as? [String: Any]
        #expect((keptReport?["deletedBlobs"] as? [String])?.isEmpty == true)
        #expect(keptReport?["recentBlobsKept"] as? Int == 1)

        let dry = try await WharfBinary.run(["gc", "--root", root, "--grace", "0s", "--dry-run"])
        #expect(String(decoding: dry.standardOutput, as: UTF8.self).contains("blob \(digest) would delete"))
        #expect(try await store.repository("a").blob(digest) != nil)

        let real = try await WharfBinary.run(["gc", "--root", root, "--grace", "0s"])
        #expect(real.status == 0)
        #expect(
            String(decoding: real.standardOutput, as: UTF8.self).contains(
                "deleted 1 blobs (\(bytes.count) bytes)"))
        #expect(try await store.repository("a").blob(digest) == nil)
    }

    @Test("wharf gc refuses a bad duration and a missing root with a message")
    func refusesBadArguments() async throws {
        let badGrace = try await WharfBinary.run(["gc", "--root", "/tmp", "--grace", "soon"])
        #expect(badGrace.status != 0)
        #expect(String(decoding: badGrace.standardError, as: UTF8.self).contains("invalid duration"))
        let missing = try await WharfBinary.run(["gc", "--root", "/nonexistent/wharf-root"])
        #expect(missing.status != 0)
        #expect(String(decoding: missing.standardError, as: UTF8.self).contains("no storage root"))
    }
}
