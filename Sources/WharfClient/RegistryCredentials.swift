/// What a client logs in with.
public struct RegistryCredentials: Sendable, Equatable {
    /// The user name.
    public var username: String
    /// The password or access token.
    public var password: String

    /// Creates credentials.
    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }
}

/// Finds credentials for a registry host.
public protocol CredentialProvider: Sendable {
    /// The credentials for `host` (`registry.example.com`, `127.0.0.1:5000`), `nil` for none.
    func credentials(for host: String) async throws -> RegistryCredentials?
}

/// Fixed credentials for every host, or none.
public struct StaticCredentials: CredentialProvider {
    /// The credentials handed out.
    public var value: RegistryCredentials?

    /// Hands out `value` for every host.
    public init(_ value: RegistryCredentials?) { self.value = value }

    /// `value`.
    public func credentials(for host: String) async throws -> RegistryCredentials? { value }
}

/// Tries providers in order and returns the first credentials found.
public struct ChainedCredentials: CredentialProvider {
    /// The providers, most specific first.
    public var providers: [any CredentialProvider]

    /// Creates the chain.
    public init(_ providers: [any CredentialProvider]) { self.providers = providers }

    /// The first provider's answer that is not `nil`.
    public func credentials(for host: String) async throws -> RegistryCredentials? {
        for provider in providers {
            if let found = try await provider.credentials(for: host) { return found }
        }
        return nil
    }
}
