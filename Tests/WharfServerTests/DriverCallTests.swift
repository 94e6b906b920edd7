import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage

/// How many storage-driver calls each request makes: on S3 each is a request and a round
/// trip, so these counts are what a deployment pays per registry request. The numbers are
/// pinned so that they cannot creep back up unnoticed.
@Suite("Driver calls per request")
struct DriverCallTests {
    /// The calls of one request, e.g. `getContent 1, stat 1`.
    static func summary(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    @Test("each request makes exactly the driver calls it needs")
    func counts() async throws {
        let driver = CountingDriver(InMemoryDriver())
        let store = RegistryStore(driver: driver)
        let measured = try await withRegistry(store: store) { client in
            var measured: [(label: String, calls: String)] = []
            func measure(
                _ label: String, _ request: () async throws -> TestResponse
            ) async throws -> TestResponse {
                _ = driver.take()
                let response = try await request()
                measured.append((label, Self.summary(driver.take())))
                return response
            }
            let blob = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let digest = DigestHasher.digest(of: blob)

            // Uploads.
            let started = try await measure("POST upload") {
                try await client.send(.post, "/v2/team/app/blobs/uploads/")
            }
            let location = try #require(started.headers[.location])
            _ = try await measure("PATCH first chunk") {
                try await client.send(
                    .patch, location, headers: [.contentRange: "0-49999"], body: Array(blob[..<50_000]))
            }
            _ = try await measure("PATCH next chunk") {
                try await client.send(
                    .patch, location, headers: [.contentRange: "50000-99999"], body: Array(blob[50_000...]))
            }
            let committed = try await measure("PUT commit, empty body") {
                try await client.send(.put, "\(location)?digest=\(digest)", headers: [.contentLength: "0"])
            }
            #expect(committed.status == .created)
            let other = (0..<30_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
            let otherDigest = DigestHasher.digest(of: other)
            let second = try await client.send(.post, "/v2/team/app/blobs/uploads/")
            let secondLocation = try #require(second.headers[.location])
            let withChunk = try await measure("PUT commit with last chunk") {
                try await client.send(.put, "\(secondLocation)?digest=\(otherDigest)", body: other)
            }
            #expect(withChunk.status == .created)
            let third = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 17) }
            let monolithic = try await measure("POST monolithic") {
                try await client.send(
                    .post, "/v2/team/app/blobs/uploads/?digest=\(DigestHasher.digest(of: third))", body: third
                )
            }
            #expect(monolithic.status == .created)
            let mounted = try await measure("POST mount") {
                try await client.send(.post, "/v2/team/copy/blobs/uploads/?mount=\(digest)&from=team/app")
            }
            #expect(mounted.status == .created)

            // Blob reads.
            let get = try await measure("GET blob") {
                try await client.send(.get, "/v2/team/app/blobs/\(digest)")
            }
            #expect(Array(get.body.readableBytesView) == blob)
            _ = try await measure("HEAD blob") {
                try await client.send(.head, "/v2/team/app/blobs/\(digest)")
            }
            let ranged = try await measure("GET blob range") {
                try await client.send(.get, "/v2/team/app/blobs/\(digest)", headers: [.range: "bytes=10-19"])
            }
            #expect(Array(ranged.body.readableBytesView) == Array(blob[10...19]))

            // Manifests.
            let manifest = try await ManifestEndpointTests.prepareImage(
                client, repository: "team/app", seed: 3)
            let put = try await measure("PUT manifest by tag") {
                try await client.putManifest(
                    manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "team/app",
                    reference: "v1")
            }
            #expect(put.status == .created)
            let byTag = try await measure("GET manifest by tag") {
                try await client.send(.get, "/v2/team/app/manifests/v1")
            }
            #expect(Data(byTag.body.readableBytesView) == manifest.bytes)
            _ = try await measure("GET manifest by digest") {
                try await client.send(.get, "/v2/team/app/manifests/\(manifest.descriptor.digest)")
            }
            _ = try await measure("HEAD manifest by tag") {
                try await client.send(.head, "/v2/team/app/manifests/v1")
            }
            _ = try await measure("GET tags") { try await client.send(.get, "/v2/team/app/tags/list") }
            let deleted = try await measure("DELETE manifest") {
                try await client.send(.delete, "/v2/team/app/manifests/\(manifest.descriptor.digest)")
            }
            #expect(deleted.status == .accepted)
            return measured
        }
        // Calls per request; before the paths were straightened (2026-12), in brackets.
        let expected: [String: String] = [
            "POST upload": "putContent 1, writer 1",  // [2]
            "PATCH first chunk": "stat 1, writer 1",  // [3: the startedat file was read too]
            "PATCH next chunk": "stat 1, writer 1",  // [3]
            "PUT commit, empty body": "delete 1, move 1, putContent 2, stat 3",  // [11: claim written twice]
            "PUT commit with last chunk": "delete 1, move 1, putContent 2, stat 3, writer 1",  // [11]
            "POST monolithic": "delete 1, move 1, putContent 3, stat 2, writer 1",  // [12]
            "POST mount": "getContent 1, putContent 2, stat 2",  // [7]
            "GET blob": "getContent 1, reader 1, stat 1",  // [5: link read and data stat-ed twice]
            "HEAD blob": "getContent 1, stat 1",  // [2]
            "GET blob range": "getContent 1, reader 1, stat 1",  // [5]
            "PUT manifest by tag": "getContent 2, putContent 7, stat 4",  // [14]
            "GET manifest by tag": "getContent 3",  // [4]
            "GET manifest by digest": "getContent 2",  // [3]
            "HEAD manifest by tag": "getContent 3",  // [4]
            "GET tags": "list 1",  // [2]
            "DELETE manifest": "delete 2, getContent 3, list 1",  // [7]
        ]
        #expect(Set(measured.map(\.label)) == Set(expected.keys))
        for (label, calls) in measured {
            #expect(expected[label] == calls, "\(label): \(calls)")
        }
    }

    @Test("with quotas on, a commit into a full repository costs no walk of its links")
    func quotaChecksDoNotWalk() async throws {
        let driver = CountingDriver(InMemoryDriver())
        let store = RegistryStore(
            driver: driver, options: .init(quotas: QuotaPolicy(defaultRepositoryLimit: 1 << 30)))
        let repository = try store.repository("team/app")
        func push(_ seed: Int) async throws {
            let blob = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ seed) }
            try await repository.uploadBlob(
                ByteStream(ByteBuffer(bytes: blob)), digest: DigestHasher.digest(of: blob))
        }
        for seed in 0..<40 { try await push(seed) }
        _ = driver.take()
        try await push(1000)
        #expect(
            Self.summary(driver.take()) == "delete 1, move 1, putContent 3, stat 2, writer 1",
            "as without quotas")
    }
}
