/// An error code of the OCI distribution-spec error body
/// `{"errors":[{"code","message","detail"}]}`: what a registry answers and a client reads.
///
/// The constants are the spec's codes (distribution-spec 1.1, "Error Codes") and the few
/// CNCF Distribution adds; any other code a registry sends is carried as it is.
public struct OCIErrorCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The code as it appears in the body (`BLOB_UNKNOWN`).
    public let rawValue: String

    /// Wraps a code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Wraps a code written as a string literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// Decodes a code from a JSON string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the code as a JSON string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The code itself.
    public var description: String { rawValue }

    /// `BLOB_UNKNOWN`: blob unknown to registry.
    public static let blobUnknown: OCIErrorCode = "BLOB_UNKNOWN"
    /// `BLOB_UPLOAD_INVALID`: blob upload invalid.
    public static let blobUploadInvalid: OCIErrorCode = "BLOB_UPLOAD_INVALID"
    /// `BLOB_UPLOAD_UNKNOWN`: blob upload unknown to registry.
    public static let blobUploadUnknown: OCIErrorCode = "BLOB_UPLOAD_UNKNOWN"
    /// `DIGEST_INVALID`: provided digest did not match uploaded content.
    public static let digestInvalid: OCIErrorCode = "DIGEST_INVALID"
    /// `MANIFEST_BLOB_UNKNOWN`: manifest references a manifest or blob unknown to registry.
    public static let manifestBlobUnknown: OCIErrorCode = "MANIFEST_BLOB_UNKNOWN"
    /// `MANIFEST_INVALID`: manifest invalid.
    public static let manifestInvalid: OCIErrorCode = "MANIFEST_INVALID"
    /// `MANIFEST_UNKNOWN`: manifest unknown to registry.
    public static let manifestUnknown: OCIErrorCode = "MANIFEST_UNKNOWN"
    /// `NAME_INVALID`: invalid repository name.
    public static let nameInvalid: OCIErrorCode = "NAME_INVALID"
    /// `NAME_UNKNOWN`: repository name not known to registry.
    public static let nameUnknown: OCIErrorCode = "NAME_UNKNOWN"
    /// `SIZE_INVALID`: provided length did not match content length.
    public static let sizeInvalid: OCIErrorCode = "SIZE_INVALID"
    /// `UNAUTHORIZED`: authentication required.
    public static let unauthorized: OCIErrorCode = "UNAUTHORIZED"
    /// `DENIED`: requested access to the resource is denied.
    public static let denied: OCIErrorCode = "DENIED"
    /// `UNSUPPORTED`: the operation is unsupported.
    public static let unsupported: OCIErrorCode = "UNSUPPORTED"
    /// `TOOMANYREQUESTS`: too many requests.
    public static let tooManyRequests: OCIErrorCode = "TOOMANYREQUESTS"
    /// `TAG_INVALID` (Distribution): the manifest's tag is invalid.
    public static let tagInvalid: OCIErrorCode = "TAG_INVALID"
    /// `PAGINATION_NUMBER_INVALID` (Distribution): the `n` of a paginated listing is invalid.
    public static let paginationNumberInvalid: OCIErrorCode = "PAGINATION_NUMBER_INVALID"
    /// `UNKNOWN` (Distribution): an error the registry does not classify, a failure of its own.
    public static let unknown: OCIErrorCode = "UNKNOWN"
    /// `UNAVAILABLE` (Distribution): the service is unavailable for now.
    public static let unavailable: OCIErrorCode = "UNAVAILABLE"
}
