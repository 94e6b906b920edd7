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
    /// The operation would move or delete `tag` of `repository`, which the immutability
    /// rule `rule` (as written) protects (``TagImmutability``).
    case tagImmutable(String, repository: String, rule: String)
    /// The storage beneath failed (out of space, an I/O error): a failure of the registry,
    /// not of the request, which may succeed later.
    case storage(StorageError)

    /// The distribution-spec error code (`NAME_INVALID`, `BLOB_UNKNOWN`, ...).
    public var code: OCIErrorCode {
        switch self {
        case .nameInvalid: .nameInvalid
        case .nameUnknown: .nameUnknown
        case .blobUnknown: .blobUnknown
        case .blobUploadUnknown: .blobUploadUnknown
        case .blobUploadInvalid, .rangeInvalid: .blobUploadInvalid
        case .digestInvalid, .digestMalformed: .digestInvalid
        case .manifestUnknown: .manifestUnknown
        case .manifestInvalid, .manifestTooLarge: .manifestInvalid
        case .manifestBlobUnknown: .manifestBlobUnknown
        case .tagInvalid: .tagInvalid
        case .blobCorrupted, .storage: .unknown
        case .denied, .tagImmutable: .denied
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
        case .tagImmutable(let tag, let repository, let rule):
            "tag \(UntrustedText.quoted(tag)) of \(UntrustedText.quoted(repository)) is immutable (rule \(rule)): it cannot be moved or deleted"
        case .storage(let error): "\(error)"
        }
    }
}
