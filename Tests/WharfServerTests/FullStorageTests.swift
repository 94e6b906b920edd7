import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("A registry whose storage fills up")
struct FullStorageTests {
    @Test(
        "a push into a full disk gets 507 with no path in the body, loses no committed blob, and resumes once space is freed",
        .tags(.interop), .enabled(if: SmallFilesystem.shouldRun))
    func fullDisk() async throws {
        var random = SeededGenerator(seed: 507)
        let kept = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let blob = (0..<(3 << 20)).map { _ in UInt8.random(in: 0...255, using: &random) }
        let digest = DigestHasher.digest(of: blob)
        try await SmallFilesystem.with(bytes: 12 << 20) { mountPoint in
            let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: mountPoint + "/registry"))
            try await withRegistry(store: store) { client in
                let keptDigest = try await client.pushBlob(kept, to: "team/app")
                let started = try await client.send(.post, "/v2/team/app/blobs/uploads/")
                let location = try #require(started.headers[.location])
                let filler = try SmallFilesystem.fill(mountPoint)

                let patch = try await client.send(.patch, location, body: blob)
                #expect(patch.status.code == 507)
                #expect(errorCodes(patch) == ["UNKNOWN"])
                let text = String(buffer: patch.body)
                #expect(!text.contains(mountPoint) && !text.contains("/registry") && !text.contains("errno"))
                let monolithic = try await client.send(
                    .post, "/v2/team/app/blobs/uploads/?digest=\(digest)", body: blob)
                #expect(monolithic.status.code == 507)
                #expect(!String(buffer: monolithic.body).contains(mountPoint))

                let intact = try await client.send(.get, "/v2/team/app/blobs/\(keptDigest)")
                #expect(intact.status == .ok)
                #expect(Array(intact.body.readableBytesView) == kept)

                try FileManager.default.removeItem(atPath: filler)
                let status = try await client.send(.get, location)
                #expect(status.status == .noContent)
                let range = try #require(status.headers[.registryRange])
                // "0-0" is how an empty upload's range is written (no byte stored yet).
                let end = try #require(range.split(separator: "-").last.flatMap { Int($0) })
                let received = range == "0-0" ? 0 : end + 1
                #expect(received < blob.count, "the failed PATCH could not have stored the whole blob")
                let rest = try await client.send(
                    .patch, location, headers: [.contentRange: "\(received)-\(blob.count - 1)"],
                    body: Array(blob[received...]))
                #expect(rest.status == .accepted)
                let finished = try await client.send(
                    .put, "\(location)?digest=\(digest)", headers: [.contentLength: "0"])
                #expect(finished.status == .created)
                let pulled = try await client.send(.get, "/v2/team/app/blobs/\(digest)")
                #expect(Array(pulled.body.readableBytesView) == blob)
            }
        }
    }
}
