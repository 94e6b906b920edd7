import Foundation
public import WharfServerAuth
import WharfTestSupport

/// The token-authenticated registry the server and client tests share: users alice and
/// bob (htpasswd), Wharf's token service as `wharf-issuer` for `wharf-test`, alice may
/// push and delete under `team/`, everyone authenticated may pull.
public enum TokenRegistryFixture {
    /// alice's credentials.
    public static let alice = (user: "alice", password: "alice-secret")
    /// bob's credentials.
    public static let bob = (user: "bob", password: "bob-secret")

    /// The access rules.
    public static let policy = AccessPolicy(
        rules: [
            AccessRule(repositories: "team/**", users: ["alice"], actions: [.pull, .push, .delete]),
            AccessRule(repositories: "**", users: ["*"], actions: [.pull]),
        ])

    /// Server options with the token service; writes `htpasswd`, `token.key` and
    /// `token.crt` (the certificate a Distribution registry trusts) into `directory`.
    public static func options(
        in directory: String, anonymousPull: Bool = false
    ) async throws -> RegistryServerOptions {
        let users = try HtpasswdFile(
            contentsOf: try await AuthFixture.htpasswd(
                in: directory, users: [(alice.user, alice.password), (bob.user, bob.password)]))
        let issuer = try await RegistryTokenIssuer(
            privateKeyPEM: try String(
                contentsOfFile: try await AuthFixture.signingKey(in: directory).key, encoding: .utf8),
            issuer: "wharf-issuer", service: "wharf-test")
        var policy = Self.policy
        policy.anonymousPull = anonymousPull
        return RegistryServerOptions(
            accessControl: TokenAccessControl(
                TokenAuthentication(issuer: issuer, users: users), policy: policy))
    }

    /// The `auth:` section that makes Distribution trust the token service at `wharf`
    /// (`HOST:PORT`) through the certificate `options(in:)` wrote into `directory`.
    public static func distributionAuth(wharf: String, directory: String) -> String {
        """
        auth:
          token:
            realm: http://\(wharf)/token
            service: wharf-test
            issuer: wharf-issuer
            rootcertbundle: \(directory)/token.crt
        """
    }
}
