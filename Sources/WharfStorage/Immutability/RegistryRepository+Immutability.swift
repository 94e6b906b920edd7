import WharfContent

extension RegistryRepository {
    /// Refuses, with ``RegistryStoreError/tagImmutable(_:repository:rule:)``, to point an
    /// existing immutable `tag` at another manifest (`digest`) or to delete it (`nil`).
    /// Only a tag a rule protects costs a link read.
    func ensureMutable(_ tag: String, pointingAt digest: OCIDigest?) async throws {
        guard let rule = store.options.immutableTags.rule(protecting: tag, in: name) else { return }
        guard let current = try await driver.readLink(RegistryLayout.tagCurrentLink(name, tag)),
            current != digest
        else { return }
        throw RegistryStoreError.tagImmutable(tag, repository: name, rule: rule.description)
    }

    /// Refuses to delete a manifest that an immutable tag points at; `tags` are the tags
    /// pointing at it.
    func ensureDeletable(tags: [String]) throws {
        for tag in tags {
            if let rule = store.options.immutableTags.rule(protecting: tag, in: name) {
                throw RegistryStoreError.tagImmutable(tag, repository: name, rule: rule.description)
            }
        }
    }
}
