public import Foundation

/// A bearer token the built-in token service issued.
public struct RegistryToken: Sendable {
    /// The compact JWS.
    public var token: String
    /// When it was issued.
    public var issuedAt: Date
    /// How long it is valid, in whole seconds.
    public var expiresIn: Int
    /// What it grants.
    public var access: [AccessScope]
}

/// What a verified bearer token says.
public struct VerifiedRegistryToken: Sendable, Equatable {
    /// The user it was issued to; `nil` for an anonymous token.
    public var subject: String?
    /// What it grants.
    public var access: [AccessScope]

    /// The actions the token grants on `repository`.
    public func actions(on repository: String) -> Set<RegistryAction> {
        var granted: Set<RegistryAction> = []
        for scope in access where scope.type == "repository" && scope.name == repository {
            granted.formUnion(scope.registryActions)
        }
        return granted
    }

    /// Whether the token may list the catalog.
    public var mayListCatalog: Bool {
        access.contains { $0.type == "registry" && $0.name == "catalog" && !$0.actions.isEmpty }
    }
}

/// A bearer token that cannot be trusted.
public struct RegistryTokenError: Error, Sendable, CustomStringConvertible {
    /// Why.
    public var reason: String
    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }
    /// The reason.
    public var description: String { "invalid token: \(reason)" }
}
