import Foundation
import WharfServerAuth

/// Builds the server's access control from the `auth` section of the configuration (or
/// the `--htpasswd` flag), reading the files it names.
enum AccessControlLoader {
    static func load(_ auth: ServeConfiguration.Auth?) async throws -> (any RegistryAccessControl)? {
        guard let auth else { return nil }
        let users = try auth.htpasswd.map { path in
            do {
                return try HtpasswdFile(contentsOf: path)
            } catch let error as HtpasswdFile.FormatError {
                throw ConfigurationError("\(path): \(error)")
            } catch {
                throw ConfigurationError("cannot read htpasswd file \(path): \(error.localizedDescription)")
            }
        }
        let policy = AccessPolicy(
            rules: auth.access ?? AccessPolicy.authenticatedUsersMayDoAnything.rules,
            anonymousPull: auth.anonymousPull ?? false)
        if let token = auth.token {
            return TokenAccessControl(try await tokenAuthentication(token, users: users), policy: policy)
        }
        guard let users else {
            throw ConfigurationError("auth needs an htpasswd file (Basic) or a token section")
        }
        return BasicAccessControl(realm: auth.realm ?? "Wharf Registry", users: users, policy: policy)
    }

    private static func tokenAuthentication(
        _ token: ServeConfiguration.Auth.Token, users: HtpasswdFile?
    ) async throws -> TokenAuthentication {
        if let signingKey = token.signingKey {
            var lifetime = Duration.seconds(300)
            if let text = token.lifetime {
                guard let parsed = DurationArgument.parse(text), parsed > .zero else {
                    throw ConfigurationError("auth.token.lifetime: invalid duration \"\(text)\"")
                }
                lifetime = parsed
            }
            let issuer = try await RegistryTokenIssuer(
                privateKeyPEM: try read(signingKey, what: "token signing key"), issuer: token.issuer,
                service: token.service, lifetime: lifetime)
            return TokenAuthentication(issuer: issuer, users: users, realm: token.realm)
        }
        guard let realm = token.realm, let trustedKeys = token.trustedKeys else {
            throw ConfigurationError(
                "auth.token needs signingKey (built-in token service) or realm and trustedKeys (external service)"
            )
        }
        let verifier = try await RegistryTokenVerifier(
            issuer: token.issuer, service: token.service,
            trustedKeysPEM: try read(trustedKeys, what: "trusted token keys"))
        return TokenAuthentication(realm: realm, verifier: verifier)
    }

    private static func read(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }
}
