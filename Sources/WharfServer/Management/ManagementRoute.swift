import Foundation

/// Where a request under `/wharf/v1/` (the management API) goes. Repository names may hold
/// slashes, so the endpoint is read from the end of the path, as ``RegistryRoute`` does.
enum ManagementRoute: Equatable {
    case repositories
    case repository(String)
    case artifacts(String)
    case history(String)
    case audit
    case policies
    case retention(dryRun: Bool)

    static let prefix = "/wharf/v1"

    /// Parses a request path; `nil` for paths outside the management API.
    init?(path: String) {
        guard path == Self.prefix || path.hasPrefix(Self.prefix + "/") else { return nil }
        var rest = String(path.dropFirst(Self.prefix.count))
        if rest.hasSuffix("/") { rest.removeLast() }
        switch rest {
        case "/repositories": self = .repositories
        case "/audit": self = .audit
        case "/policies": self = .policies
        case "/retention/dry-run": self = .retention(dryRun: true)
        case "/retention/run": self = .retention(dryRun: false)
        default:
            guard rest.hasPrefix("/repositories/") else { return nil }
            // A client may percent-encode the slashes of a name (OpenAPI path parameters hold none).
            let raw = String(rest.dropFirst("/repositories/".count))
            let name = raw.removingPercentEncoding ?? raw
            if name.hasSuffix("/artifacts"), name.count > "/artifacts".count {
                self = .artifacts(String(name.dropLast("/artifacts".count)))
            } else if name.hasSuffix("/history"), name.count > "/history".count {
                self = .history(String(name.dropLast("/history".count)))
            } else if !name.isEmpty {
                self = .repository(name)
            } else {
                return nil
            }
        }
    }

    /// The method the endpoint answers.
    var method: String { if case .retention = self { "POST" } else { "GET" } }
}
