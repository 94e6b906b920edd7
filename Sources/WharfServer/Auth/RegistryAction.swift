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

    /// The actions of the distribution API: what `*` grants. `admin` must be named.
    public static let distribution: Set<RegistryAction> = [.pull, .push, .delete]

    /// The actions a scope's action list names; `*` means those of the distribution API
    /// (``distribution``: never `admin`, which must be granted by name), unknown names are
    /// ignored (a token service may grant actions this registry does not know).
    public static func parse(_ names: some Sequence<String>) -> Set<RegistryAction> {
        var actions: Set<RegistryAction> = []
        for name in names {
            if name == "*" {
                actions.formUnion(distribution)
                continue
            }
            if let action = RegistryAction(rawValue: name) { actions.insert(action) }
        }
        return actions
    }
}
