public import WharfContent

/// Errors of registry storage, each carrying the OCI distribution-spec error code a
/// server answers with.
public enum RegistryStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The repository name is invalid.
    case nameInvalid(String, reason: String)
    /// The repository is not known.
    case nameUnknown(String)
    /// The blob is not known to the repository.
    case blobUnknown(OCIDigest)
    /// The upload session is not known.
    case blobUploadUnknown(String)
    /// The upload cannot continue as asked (`reason` says why).
    case blobUploadInvalid(String)
    /// A chunk did not start at the upload's current size.
    case rangeInvalid(currentSize: Int64)
    /// The uploaded or pushed bytes do not match the digest given.
    case digestInvalid(expected: OCIDigest, actual: OCIDigest)
    /// The digest given is not valid.
    case digestMalformed(String)
    /// The manifest is not known (`reference` is a tag or digest).
    case manifestUnknown(String)
    /// The manifest is invalid.
    case manifestInvalid(String)
    /// The manifest references a blob or manifest the repository lacks.
    case manifestBlobUnknown(OCIDigest)
    /// The manifest exceeds the size limit.
    case manifestTooLarge(limit: Int)
    /// The tag is invalid.
    case tagInvalid(String, reason: String)
    /// The stored blob is not what its digest says (corrupted storage).
    case blobCorrupted(OCIDigest, reason: String)
    /// The operation would exceed a quota, or is otherwise not allowed.
    case denied(String)

    /// The distribution-spec error code (`NAME_INVALID`, `BLOB_UNKNOWN`, ...).
    public var code: String {
        switch self {
        case .nameInvalid: "NAME_INVALID"
        case .nameUnknown: "NAME_UNKNOWN"
        case .blobUnknown: "BLOB_UNKNOWN"
        case .blobUploadUnknown: "BLOB_UPLOAD_UNKNOWN"
        case .blobUploadInvalid, .rangeInvalid: "BLOB_UPLOAD_INVALID"
        case .digestInvalid, .digestMalformed: "DIGEST_INVALID"
        case .manifestUnknown: "MANIFEST_UNKNOWN"
        case .manifestInvalid, .manifestTooLarge: "MANIFEST_INVALID"
        case .manifestBlobUnknown: "MANIFEST_BLOB_UNKNOWN"
        case .tagInvalid: "TAG_INVALID"
        case .blobCorrupted: "UNKNOWN"
        case .denied: "DENIED"
        }
    }

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .nameInvalid(let name, let reason):
            "invalid repository name \(UntrustedText.quoted(name)): \(reason)"
        case .nameUnknown(let name): "repository \(UntrustedText.quoted(name)) is not known"
        case .blobUnknown(let digest): "blob \(digest) is not known to the repository"
        case .blobUploadUnknown(let id): "upload \(UntrustedText.quoted(id)) is not known"
        case .blobUploadInvalid(let reason): "upload invalid: \(reason)"
        case .rangeInvalid(let size): "chunk must start at offset \(size), the upload's current size"
        case .digestInvalid(let expected, let actual): "content digest \(actual) does not match \(expected)"
        case .digestMalformed(let reason): "invalid digest: \(reason)"
        case .manifestUnknown(let reference): "manifest \(UntrustedText.quoted(reference)) is not known"
        case .manifestInvalid(let reason): "manifest invalid: \(reason)"
        case .manifestBlobUnknown(let digest):
            "manifest references \(digest), which the repository does not have"
        case .manifestTooLarge(let limit): "manifest exceeds the limit of \(limit) bytes"
        case .tagInvalid(let tag, let reason): "invalid tag \(UntrustedText.quoted(tag)): \(reason)"
        case .blobCorrupted(let digest, let reason): "stored blob \(digest) is corrupted: \(reason)"
        case .denied(let reason): "denied: \(reason)"
        }
    }
}
