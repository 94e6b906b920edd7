public import WharfContent
import WharfImage

/// A repository on a registry, as a content store: the source or destination of a copy
/// like a layout directory or server storage (the one content-store vocabulary of WharfContent).
///
/// Manifests and indexes go through `/manifests/`, everything else through `/blobs/`.
/// Every fetched byte is verified against its descriptor while it streams.
public struct RemoteRepository: Sendable {
    /// The client of the repository's registry.
    public let client: RegistryClient
    /// The repository name (`team/app`).
    public let name: String
    /// A repository of the same registry that copies into this one should mount blobs
    /// from (a `wharf copy` between two repositories of one registry sets it).
    public var mountSource: String?

    /// The manifest media types asked for, OCI and Docker, images and indexes.
    public static let manifestAccept: [OCIMediaType] = [
        .ociManifest, .ociIndex, .dockerManifest, .dockerManifestList, .ociArtifactManifest,
    ]

    /// Validates `name` with the distribution grammar (``ImageReference``'s rules), so that
    /// nothing but a repository path reaches a request URL.
    init(client: RegistryClient, name: String) throws {
        do {
            try ImageReference.validateRepository(name)
        } catch {
            throw RegistryClientError(
                status: nil, message: "invalid repository name: \(error)", isRetryable: false, request: name)
        }
        self.client = client
        self.name = name
    }

    /// How errors name the repository: `registry/name`.
    var location: String { "\(client.host)/\(name)" }

    /// The `Accept` header of manifest requests.
    static var acceptHeader: String { manifestAccept.map(\.rawValue).joined(separator: ", ") }

    var pullScope: [String] { ["repository:\(name):pull"] }
    var pushScope: [String] { ["repository:\(name):pull,push"] }
    var deleteScope: [String] { ["repository:\(name):delete"] }

}

extension RemoteRepository: ContentStorage, ReferenceResolver, ReferenceTagger, ContentDeleter,
    ReferrerLister,
    TagLister, ContentMounter, ReferencePusher
{
    /// This repository, mounting blobs from `source` (same registry) when copied into.
    public func mounting(from source: String) -> RemoteRepository {
        var copy = self
        copy.mountSource = source
        return copy
    }

    /// Mounts `descriptor` from ``mountSource``; `nil` when there is none or the registry
    /// declined (the upload session it opened instead is cancelled).
    public func mount(_ descriptor: Descriptor) async throws -> String? {
        guard let source = mountSource, source != name, !descriptor.mediaType.isManifest else { return nil }
        let response = try await client.send(
            RegistryRequest(
                .POST, "/v2/\(name)/blobs/uploads/?mount=\(descriptor.digest)&from=\(source)",
                scopes: pushScope + ["repository:\(source):pull"], expected: [201, 202]))
        if response.status.code == 201 { return source }
        if let location = response.headers.first(name: "Location") {
            _ = try? await client.send(
                RegistryRequest(.DELETE, location, scopes: pushScope, expected: [204, 200, 404]))
        }
        return nil
    }
}
