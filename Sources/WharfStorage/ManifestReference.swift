public import WharfContent
import WharfImage

/// What names a manifest in a repository: a tag, or the manifest's digest. Parsed once, as
/// the registry API receives a reference, then passed on as a value.
public enum ManifestReference: Sendable, Hashable, CustomStringConvertible {
    /// A tag (`v1`), valid by the distribution grammar.
    case tag(String)
    /// A digest (`sha256:…`).
    case digest(OCIDigest)

    /// Parses a reference as the distribution-spec API receives it: a digest when it
    /// contains a colon, otherwise a tag. Throws ``RegistryStoreError/digestMalformed(_:)``
    /// or ``RegistryStoreError/tagInvalid(_:reason:)``.
    public init(parsing text: String) throws(RegistryStoreError) {
        if text.contains(":") {
            do {
                self = .digest(try OCIDigest(parsing: text))
            } catch {
                throw .digestMalformed("\(error)")
            }
        } else {
            try RegistryRepository.validateTag(text)
            self = .tag(text)
        }
    }

    /// The tag, or the digest's string form.
    public var description: String {
        switch self {
        case .tag(let tag): tag
        case .digest(let digest): digest.description
        }
    }
}
