/// One entry of a Docker token scope: `repository:team/app:pull,push`.
///
/// The resource name may itself contain colons (`repository:localhost:5000/app:pull`), so
/// the type ends at the first colon and the actions start after the last one.
public struct AccessScope: Sendable, Hashable, CustomStringConvertible {
    /// The resource type: `repository`, or `registry` for the catalog.
    public var type: String
    /// The resource name: a repository name, or `catalog`.
    public var name: String
    /// The actions, in the order given.
    public var actions: [String]

    /// Creates a scope.
    public init(type: String, name: String, actions: [String]) {
        self.type = type
        self.name = name
        self.actions = actions
    }

    /// A repository scope.
    public static func repository(_ name: String, _ actions: [RegistryAction]) -> AccessScope {
        AccessScope(type: "repository", name: name, actions: actions.sorted().map(\.rawValue))
    }

    /// The scope that lists the repository catalog.
    public static let catalog = AccessScope(type: "registry", name: "catalog", actions: ["*"])

    /// The scope of the registry-wide management endpoints (the whole audit log, retention
    /// runs, the effective policies): `admin` on every repository.
    public static let administration = AccessScope(type: "registry", name: "wharf", actions: ["admin"])

    /// Parses one scope; `nil` when it lacks a type, name or action list.
    public init?(parsing text: some StringProtocol) {
        guard let firstColon = text.firstIndex(of: ":"), let lastColon = text.lastIndex(of: ":"),
            firstColon < lastColon
        else { return nil }
        let type = text[..<firstColon]
        let name = text[text.index(after: firstColon)..<lastColon]
        let actions = String(text[text.index(after: lastColon)...]).split(separator: ",").map(String.init)
        guard !type.isEmpty, !name.isEmpty else { return nil }
        self.init(type: String(type), name: String(name), actions: actions)
    }

    /// Parses a `scope` parameter, which may hold several scopes separated by spaces.
    public static func parseList(_ text: some StringProtocol) -> [AccessScope] {
        text.split(separator: " ").compactMap { AccessScope(parsing: $0) }
    }

    /// `type:name:action,action`.
    public var description: String {
        "\(type):\(name):\(actions.joined(separator: ","))"
    }

    /// The registry actions this scope names, for repository scopes.
    public var registryActions: Set<RegistryAction> { RegistryAction.parse(actions) }
}
