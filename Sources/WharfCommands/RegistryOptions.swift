import ArgumentParser
import Foundation
import NIOSSL
import WharfClient
import WharfImage

/// How the registry verbs reach registries: TLS, credentials, concurrency.
struct RegistryOptions: ParsableArguments {
    @Flag(help: "Use plain HTTP (loopback registries always do).")
    var insecure = false

    @Option(help: "Trust this PEM CA certificate for TLS.")
    var caCert: String?

    @Option(
        help: "Credentials as USER:PASSWORD (else WHARF_USERNAME/WHARF_PASSWORD, then podman/Docker files).")
    var creds: String?

    @Option(help: "Blobs transferred at once.")
    var concurrency = 4

    /// A client for `registry`, with the credentials chain and TLS settings.
    func client(for registry: String) throws -> RegistryClient {
        var providers: [any CredentialProvider] = []
        if let creds {
            guard let colon = creds.firstIndex(of: ":") else {
                throw ValidationError("--creds must be USER:PASSWORD")
            }
            providers.append(
                StaticCredentials(
                    RegistryCredentials(
                        username: String(creds[..<colon]),
                        password: String(creds[creds.index(after: colon)...]))))
        }
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["WHARF_USERNAME"], let password = environment["WHARF_PASSWORD"] {
            providers.append(StaticCredentials(RegistryCredentials(username: user, password: password)))
        }
        providers.append(DockerConfigCredentials.standard())
        var tls: TLSConfiguration?
        if let caCert {
            var configuration = TLSConfiguration.makeClientConfiguration()
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caCert))
            } catch {
                throw ValidationError("cannot read --ca-cert \(caCert): \(error)")
            }
            tls = configuration
        }
        return try RegistryClient(
            host: RegistryClient.apiHost(forRegistry: registry),
            configuration: RegistryClientConfiguration(
                insecure: insecure, tls: tls, maximumConcurrentTransfers: concurrency,
                credentials: ChainedCredentials(providers)))
    }

    /// The repository a registry reference names.
    func repository(_ reference: ImageReference) throws -> RemoteRepository {
        try client(for: reference.registry).repository(for: reference)
    }
}

/// Which platforms the copying verbs take from a multi-platform index.
struct PlatformOptions: ParsableArguments {
    @Option(
        help: "The platform to take from a multi-platform image, OS/ARCH[/VARIANT] (default: this machine's)."
    )
    var platform: String?

    @Flag(help: "Copy every platform of a multi-platform image (the index digest is preserved).")
    var allPlatforms = false

    var selection: PlatformSelection {
        get throws {
            if allPlatforms { return .all }
            guard let platform else { return .platform(.host) }
            do {
                return .platform(try Platform(parsing: platform))
            } catch {
                throw ValidationError("invalid --platform \"\(platform)\": \(error)")
            }
        }
    }
}
