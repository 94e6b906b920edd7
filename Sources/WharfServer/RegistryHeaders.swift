import HTTPTypes

// The names are constants that are valid header tokens: the initializer cannot fail.
// swift-format-ignore: NeverForceUnwrap
extension HTTPField.Name {
    /// `Docker-Distribution-API-Version`, on every response of a registry.
    static let dockerDistributionAPIVersion = Self("Docker-Distribution-API-Version")!
    /// `Docker-Content-Digest`: the digest of the blob or manifest a response is about.
    static let dockerContentDigest = Self("Docker-Content-Digest")!
    /// `Docker-Upload-UUID`: the upload session's identifier.
    static let dockerUploadUUID = Self("Docker-Upload-UUID")!
    /// `OCI-Chunk-Min-Length`: the smallest chunk a registry accepts, except the last.
    static let ociChunkMinLength = Self("OCI-Chunk-Min-Length")!
    /// `OCI-Subject`: the subject digest of a pushed manifest that has one.
    static let ociSubject = Self("OCI-Subject")!
    /// `OCI-Tag`: a tag a manifest push applied.
    static let ociTag = Self("OCI-Tag")!
    /// `OCI-Filters-Applied`: the filters a referrers response honoured.
    static let ociFiltersApplied = Self("OCI-Filters-Applied")!
    /// `Link`, for pagination.
    static let link = Self("Link")!
    /// `Range`, reporting an upload's received bytes.
    static let uploadRange = Self("Range")!
}
