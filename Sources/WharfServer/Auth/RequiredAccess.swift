/// What a request needs before it may be answered.
public enum RequiredAccess: Sendable, Equatable {
    /// Valid credentials of anyone (`GET /v2/`: how clients discover the auth scheme).
    case authenticated
    /// These scopes, every action of each.
    case scopes([AccessScope])

    /// What `method` on `route` needs, as Distribution decides it: reads need `pull`,
    /// uploads and manifest puts `pull,push`, deletes `delete`, the catalog
    /// `registry:catalog:*`. The source of a mount is checked separately: without access
    /// to it the mount falls back to an upload instead of failing.
    init(route: RegistryRoute, method: String) {
        let read = method == "GET" || method == "HEAD"
        switch route {
        case .base:
            self = .authenticated
        case .catalog:
            self = .scopes([.catalog])
        case .tags(let name), .referrers(let name, _):
            self = read ? .scopes([.repository(name, [.pull])]) : .authenticated
        case .manifest(let name, _), .blob(let name, _):
            if read {
                self = .scopes([.repository(name, [.pull])])
            } else if method == "DELETE" {
                self = .scopes([.repository(name, [.delete])])
            } else {
                self = .scopes([.repository(name, [.pull, .push])])
            }
        case .uploads(let name), .upload(let name, _):
            self = .scopes([.repository(name, [.pull, .push])])
        }
    }
}
