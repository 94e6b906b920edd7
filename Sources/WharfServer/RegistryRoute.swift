import WharfContent

/// Where a request under `/v2/` goes, parsed from its path as Distribution's router does:
/// the repository name is everything before the last endpoint keyword.
enum RegistryRoute: Equatable {
    case base
    case catalog
    case tags(name: String)
    case manifest(name: String, reference: String)
    case blob(name: String, digest: String)
    case uploads(name: String)
    case upload(name: String, id: String)
    case referrers(name: String, digest: String)

    /// Parses a request path; `nil` for paths outside the API.
    init?(path: String) {
        guard path == "/v2" || path.hasPrefix("/v2/") else { return nil }
        var components = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2).map(
            String.init)
        if components.last == "" { components.removeLast() }  // trailing slash
        if components.isEmpty {
            self = .base
            return
        }
        if components == ["_catalog"] {
            self = .catalog
            return
        }
        func name(dropping count: Int) -> String? {
            let parts = components.dropLast(count)
            return parts.isEmpty ? nil : parts.joined(separator: "/")
        }
        let count = components.count
        if count >= 3, components[count - 2] == "tags", components[count - 1] == "list",
            let name = name(dropping: 2)
        {
            self = .tags(name: name)
        } else if count >= 3, components[count - 2] == "blobs", components[count - 1] == "uploads",
            let name = name(dropping: 2)
        {
            self = .uploads(name: name)
        } else if count >= 4, components[count - 3] == "blobs", components[count - 2] == "uploads",
            let name = name(dropping: 3)
        {
            self = .upload(name: name, id: components[count - 1])
        } else if count >= 3, components[count - 2] == "manifests", let name = name(dropping: 2) {
            self = .manifest(name: name, reference: components[count - 1])
        } else if count >= 3, components[count - 2] == "blobs", let name = name(dropping: 2) {
            self = .blob(name: name, digest: components[count - 1])
        } else if count >= 3, components[count - 2] == "referrers", let name = name(dropping: 2) {
            self = .referrers(name: name, digest: components[count - 1])
        } else {
            return nil
        }
    }
}

extension RegistryRoute {
    /// The repository the request is about, if any.
    var repository: String? {
        switch self {
        case .base, .catalog: nil
        case .tags(let name), .manifest(let name, _), .blob(let name, _), .uploads(let name),
            .upload(let name, _),
            .referrers(let name, _):
            name
        }
    }

    /// The tag or digest the request names, if any.
    var reference: String? {
        switch self {
        case .manifest(_, let reference): reference
        case .blob(_, let digest), .referrers(_, let digest): digest
        default: nil
        }
    }
}
