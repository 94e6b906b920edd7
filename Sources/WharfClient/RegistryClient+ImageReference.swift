public import WharfImage

/// Docker Hub's naming rules, in one place: references name the registry `docker.io`
/// (``ImageReference`` also turns `index.docker.io` into it and adds `library/` to
/// single-element names), but its API is served by `registry-1.docker.io`.
extension RegistryClient {
    /// The host serving the registry API of `registry` as a reference names it:
    /// `registry-1.docker.io` for Docker Hub (`docker.io`, `index.docker.io`), otherwise
    /// `registry` itself.
    public static func apiHost(forRegistry registry: String) -> String {
        registry == ImageReference.defaultRegistry || registry == "index.docker.io"
            ? "registry-1.docker.io" : registry
    }

    /// Creates a client for the registry `reference` names (Docker Hub's API host for
    /// `docker.io`).
    public convenience init(
        for reference: ImageReference,
        configuration: RegistryClientConfiguration = RegistryClientConfiguration()
    ) throws {
        try self.init(host: Self.apiHost(forRegistry: reference.registry), configuration: configuration)
    }

    /// The repository `reference` names on this client's registry.
    ///
    /// Throws ``RegistryClientError`` when `reference` names another registry.
    public func repository(for reference: ImageReference) throws -> RemoteRepository {
        guard Self.apiHost(forRegistry: reference.registry) == host else {
            throw RegistryClientError(
                status: nil, message: "\(reference) is not on registry \(host)", isRetryable: false,
                request: reference.description)
        }
        return try repository(reference.repository)
    }
}
