import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import WharfContent
import WharfImage

extension RemoteRepository {
    /// Every tag, following `Link` pagination, sorted (Distribution 2.8 pages them in
    /// directory order).
    public func tags() async throws -> [String] {
        try await tags(pageSize: nil)
    }

    /// Every tag, asking for pages of `pageSize`, sorted.
    public func tags(pageSize: Int?) async throws -> [String] {
        struct Page: Decodable { var tags: [String]? }
        var tags: [String] = []
        var next: String? = "/v2/\(name)/tags/list" + (pageSize.map { "?n=\($0)" } ?? "")
        while let target = next {
            let response = try await client.send(
                RegistryRequest(.GET, target, scopes: pullScope, expected: [200]))
            next = LinkHeader.next(response.headers.first(name: "Link"))
            let body = try await response.body.collect(upTo: 16 << 20)
            tags += try JSONDecoder().decode(Page.self, from: Data(body.readableBytesView)).tags ?? []
        }
        return tags.sorted()
    }

    /// Points `reference` (a tag) at the manifest `descriptor`, which the repository has.
    public func tag(_ descriptor: Descriptor, as reference: String) async throws {
        let document: (descriptor: Descriptor, bytes: [UInt8])
        do {
            document = try await manifestDocument(descriptor.digest.description)
        } catch ContentError.referenceNotFound {
            throw ContentError.notFound(descriptor.digest, location: location)
        }
        let bytes = document.bytes
        try await pushManifest(
            Descriptor(
                mediaType: document.descriptor.mediaType, digest: document.descriptor.digest,
                size: document.descriptor.size),
            content: ByteStream(ByteBuffer(bytes: bytes)), reference: reference)
    }

    /// Deletes a manifest (and so its tags) or a blob.
    public func delete(_ descriptor: Descriptor) async throws {
        let endpoint = descriptor.mediaType.isManifest ? "manifests" : "blobs"
        try await notFoundAsContentError(descriptor) {
            _ = try await client.send(
                RegistryRequest(
                    .DELETE, "/v2/\(name)/\(endpoint)/\(descriptor.digest)", scopes: deleteScope,
                    expected: [200, 202, 204]))
        }
    }

    /// Deletes a tag only (OCI 1.1 `DELETE /manifests/<tag>`; not every registry allows it).
    public func deleteTag(_ tag: String) async throws {
        _ = try await client.send(
            RegistryRequest(
                .DELETE, "/v2/\(name)/manifests/\(tag)", scopes: deleteScope, expected: [200, 202, 204]))
    }

    /// The manifests whose `subject` is `subject`, from the referrers API, or — on a
    /// registry without one — from the tag schema's index (`sha256-<hex>`). Filtered by
    /// `artifactType` here when the registry did not filter.
    public func referrers(of subject: Descriptor, artifactType: OCIMediaType?) async throws -> [Descriptor] {
        var query = ""
        if let artifactType {
            query =
                "?artifactType="
                + (artifactType.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        var next: String? = "/v2/\(name)/referrers/\(subject.digest)\(query)"
        var found: [Descriptor] = []
        var filtered = artifactType == nil
        var usedAPI = true
        while let target = next {
            let response = try await client.send(
                RegistryRequest(
                    .GET, target, scopes: pullScope, expected: [200, 404],
                    headers: ["Accept": OCIMediaType.ociIndex.rawValue]))
            let body = try await response.body.collect(upTo: client.configuration.manifestSizeLimit)
            if response.status.code == 404 {
                usedAPI = false
                break
            }
            if response.headers.first(name: "OCI-Filters-Applied")?.contains("artifactType") == true {
                filtered = true
            }
            found += try ImageIndex.decode(Data(body.readableBytesView)).manifests
            next = LinkHeader.next(response.headers.first(name: "Link"))
        }
        if !usedAPI {
            let tag = Self.referrersTag(for: subject.digest)
            do {
                let document = try await manifestDocument(tag)
                found = try ImageIndex.decode(Data(document.bytes)).manifests
            } catch ContentError.referenceNotFound {
                found = []
            }
        }
        guard !filtered, let artifactType else { return found }
        return found.filter { $0.artifactType == artifactType }
    }
}
