import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import WharfContent
import WharfImage
import WharfStorage

@Suite("Manifest, tag, catalog and referrers endpoints over HTTP")
struct ManifestEndpointTests {
    /// Pushes a one-layer image's blobs and returns its manifest (not yet pushed).
    static func prepareImage(
        _ client: some TestClientProtocol, repository: String, seed: Int, subject: Descriptor? = nil,
        artifactType: OCIMediaType? = nil
    ) async throws -> ManifestDocument {
        let layer = (0..<500).map { UInt8(truncatingIfNeeded: $0 &+ seed) }
        let config = Array(
            #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\#(DigestHasher.digest(of: layer))"]}}"#
                .utf8)
        try await client.pushBlob(layer, to: repository)
        try await client.pushBlob(config, to: repository)
        return try ManifestDocument(
            ImageManifest(
                config: Descriptor(mediaType: .ociConfig, bytes: config),
                layers: [Descriptor(mediaType: .ociLayer, bytes: layer)],
                artifactType: artifactType, subject: subject))
    }

    @Test("a manifest put by tag is served byte for byte by tag and digest, with its media type")
    func putAndGet() async throws {
        try await withRegistry { client in
            let manifest = try await Self.prepareImage(client, repository: "a", seed: 1)
            let put = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a", reference: "v1"
            )
            #expect(put.status == .created)
            #expect(put.headers[.dockerContentDigest] == manifest.descriptor.digest.description)
            #expect(put.headers[.location] == "/v2/a/manifests/\(manifest.descriptor.digest)")
            for reference in ["v1", manifest.descriptor.digest.description] {
                let get = try await client.send(.get, "/v2/a/manifests/\(reference)")
                #expect(get.status == .ok)
                #expect(Data(get.body.readableBytesView) == manifest.bytes)
                #expect(get.headers[.contentType] == OCIMediaType.ociManifest.rawValue)
                #expect(get.headers[.dockerContentDigest] == manifest.descriptor.digest.description)
                let head = try await client.send(.head, "/v2/a/manifests/\(reference)")
                #expect(head.headers[.contentLength] == String(manifest.bytes.count))
                #expect(head.body.readableBytes == 0)
            }
        }
    }

    @Test("manifest puts are validated: digest mismatch, unknown blob, invalid body, size cap")
    func validation() async throws {
        try await withRegistry(
            store: RegistryStore(driver: InMemoryDriver(), options: .init(manifestSizeLimit: 2000))
        ) { client in
            let manifest = try await Self.prepareImage(client, repository: "a", seed: 2)
            let wrong = DigestHasher.digest(of: Array("x".utf8))
            let mismatch = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a",
                reference: wrong.description)
            #expect(mismatch.status == .badRequest)
            #expect(errorCodes(mismatch) == ["DIGEST_INVALID"])
            let elsewhere = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "b", reference: "v1"
            )
            #expect(elsewhere.status == .badRequest)
            #expect(errorCodes(elsewhere) == ["MANIFEST_BLOB_UNKNOWN"])
            let invalid = try await client.putManifest(
                Data("{nope".utf8), mediaType: OCIMediaType.ociManifest.rawValue, repository: "a",
                reference: "v1")
            #expect(errorCodes(invalid) == ["MANIFEST_INVALID"])
            let huge = try await client.putManifest(
                Data(repeating: 0x20, count: 3000), mediaType: OCIMediaType.ociManifest.rawValue,
                repository: "a", reference: "v1")
            #expect(huge.status == .contentTooLarge)
            #expect(try await client.send(.get, "/v2/a/tags/list").status == .ok)
            #expect(
                String(buffer: try await client.send(.get, "/v2/a/tags/list").body).contains("\"tags\":[]"))
        }
    }

    @Test(
        "?tag= parameters tag a push by digest and are echoed as OCI-Tag; a subject is echoed as OCI-Subject")
    func tagParametersAndSubject() async throws {
        try await withRegistry { client in
            let subject = try await Self.prepareImage(client, repository: "a", seed: 3)
            _ = try await client.putManifest(
                subject.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a",
                reference: "base")
            let put = try await client.send(
                .put, "/v2/a/manifests/\(subject.descriptor.digest)?tag=one&tag=two",
                headers: [.contentType: OCIMediaType.ociManifest.rawValue], body: Array(subject.bytes))
            #expect(put.status == .created)
            #expect(put.headers[values: .ociTag] == ["one", "two"])
            let referrer = try await Self.prepareImage(
                client, repository: "a", seed: 4, subject: subject.descriptor,
                artifactType: "application/vnd.example.sbom")
            let referrerPut = try await client.putManifest(
                referrer.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a",
                reference: referrer.descriptor.digest.description)
            #expect(referrerPut.headers[.ociSubject] == subject.descriptor.digest.description)
            let tags = String(buffer: try await client.send(.get, "/v2/a/tags/list").body)
            #expect(tags == #"{"name":"a","tags":["base","one","two"]}"#)
        }
    }

    @Test("DELETE by tag removes the tag; DELETE by digest removes the manifest")
    func deletes() async throws {
        try await withRegistry { client in
            let manifest = try await Self.prepareImage(client, repository: "a", seed: 5)
            _ = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a", reference: "v1"
            )
            _ = try await client.putManifest(
                manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a", reference: "v2"
            )
            #expect(try await client.send(.delete, "/v2/a/manifests/v1").status == .accepted)
            #expect(try await client.send(.get, "/v2/a/manifests/v1").status == .notFound)
            #expect(try await client.send(.get, "/v2/a/manifests/v2").status == .ok)
            #expect(
                try await client.send(.delete, "/v2/a/manifests/\(manifest.descriptor.digest)").status
                    == .accepted)
            let gone = try await client.send(.get, "/v2/a/manifests/\(manifest.descriptor.digest)")
            #expect(gone.status == .notFound)
            #expect(errorCodes(gone) == ["MANIFEST_UNKNOWN"])
            #expect(errorCodes(try await client.send(.delete, "/v2/a/manifests/v1")) == ["MANIFEST_UNKNOWN"])
        }
    }

    @Test("tag lists and the catalog paginate with n, last and a Link to the next page")
    func pagination() async throws {
        try await withRegistry { client in
            let manifest = try await Self.prepareImage(client, repository: "r/a", seed: 6)
            for tag in ["t1", "t2", "t3", "t4", "t5"] {
                _ = try await client.putManifest(
                    manifest.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "r/a",
                    reference: tag)
            }
            let first = try await client.send(.get, "/v2/r/a/tags/list?n=2")
            #expect(String(buffer: first.body) == #"{"name":"r/a","tags":["t1","t2"]}"#)
            #expect(first.headers[.link] == #"</v2/r/a/tags/list?n=2&last=t2>; rel="next""#)
            let last = try await client.send(.get, "/v2/r/a/tags/list?n=2&last=t4")
            #expect(String(buffer: last.body) == #"{"name":"r/a","tags":["t5"]}"#)
            #expect(last.headers[.link] == nil)
            #expect(
                errorCodes(try await client.send(.get, "/v2/r/a/tags/list?n=-1")) == [
                    "PAGINATION_NUMBER_INVALID"
                ])
            #expect(errorCodes(try await client.send(.get, "/v2/nothing/tags/list")) == ["NAME_UNKNOWN"])
            for name in ["r/b", "q"] {
                let other = try await Self.prepareImage(client, repository: name, seed: 7)
                _ = try await client.putManifest(
                    other.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: name,
                    reference: "x")
            }
            let catalog = try await client.send(.get, "/v2/_catalog?n=2")
            #expect(String(buffer: catalog.body) == #"{"repositories":["q","r/a"]}"#)
            #expect(catalog.headers[.link] == #"</v2/_catalog?n=2&last=r/a>; rel="next""#)
            let rest = try await client.send(.get, "/v2/_catalog?n=2&last=r/a")
            #expect(String(buffer: rest.body) == #"{"repositories":["r/b"]}"#)
        }
    }

    @Test(
        "the referrers API lists referrers as an index, filters by artifactType, and is empty for unknown subjects"
    )
    func referrers() async throws {
        try await withRegistry { client in
            let subject = try await Self.prepareImage(client, repository: "a", seed: 8)
            _ = try await client.putManifest(
                subject.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a", reference: "v1")
            var pushed: [OCIDigest] = []
            for (seed, type) in [(9, "application/vnd.example.sbom"), (10, "application/vnd.example.sig")] {
                let referrer = try await Self.prepareImage(
                    client, repository: "a", seed: seed, subject: subject.descriptor,
                    artifactType: OCIMediaType(rawValue: type))
                _ = try await client.putManifest(
                    referrer.bytes, mediaType: OCIMediaType.ociManifest.rawValue, repository: "a",
                    reference: referrer.descriptor.digest.description)
                pushed.append(referrer.descriptor.digest)
            }
            let all = try await client.send(.get, "/v2/a/referrers/\(subject.descriptor.digest)")
            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == OCIMediaType.ociIndex.rawValue)
            let index = try ImageIndex.decode(Data(all.body.readableBytesView))
            #expect(Set(index.manifests.map(\.digest)) == Set(pushed))
            let filtered = try await client.send(
                .get, "/v2/a/referrers/\(subject.descriptor.digest)?artifactType=application/vnd.example.sig")
            #expect(filtered.headers[.ociFiltersApplied] == "artifactType")
            #expect(
                try ImageIndex.decode(Data(filtered.body.readableBytesView)).manifests.map(\.artifactType)
                    == ["application/vnd.example.sig"])
            let paged = try await client.send(.get, "/v2/a/referrers/\(subject.descriptor.digest)?n=1")
            #expect(try ImageIndex.decode(Data(paged.body.readableBytesView)).manifests.count == 1)
            #expect(paged.headers[.link]?.contains("rel=\"next\"") == true)
            let unknown = try await client.send(.get, "/v2/a/referrers/\(DigestHasher.digest(of: [1]))")
            #expect(unknown.status == .ok)
            #expect(try ImageIndex.decode(Data(unknown.body.readableBytesView)).manifests.isEmpty)
            #expect(
                errorCodes(try await client.send(.get, "/v2/a/referrers/sha256:bad")) == ["DIGEST_INVALID"])
        }
    }
}
