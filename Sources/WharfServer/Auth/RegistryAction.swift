/// Something a client may do to a repository, in the vocabulary of Docker token scopes.
public enum RegistryAction: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Read manifests, blobs, tags and referrers.
    case pull
    /// Upload blobs and put manifests and tags.
    case push
    /// Delete manifests, tags and blobs.
    case delete
    /// Manage: read the audit log and run retention (the management API under
    /// `/wharf/v1/`). Granted on `**`, it covers the registry-wide endpoints too.
    case admin

    /// Declaration order, so that sets of actions print the same way every time.
    public static func < (lhs: RegistryAction, rhs: RegistryAction) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }

    /// The actions a scope's action list names; `*` means all of them, unknown names are
    /// ignored (a token service may grant actions this registry does not know).
    public static func parse(_ names: some Sequence<String>) -> Set<RegistryAction> {
        var actions: Set<RegistryAction> = []
        for name in names {
            if name == "*" { return Set(allCases) }
            if let action = RegistryAction(rawValue: name) { actions.insert(action) }
        }
        return actions
    }
}
