public import Foundation

/// Credentials the way Docker, podman and skopeo keep them: `auths` entries
/// (base64 `user:password`), a default `credsStore` and per-host `credHelpers` run as
/// `docker-credential-<name> get`.
///
/// ``standard(environment:)`` reads, in order: `$REGISTRY_AUTH_FILE`,
/// `$XDG_RUNTIME_DIR/containers/auth.json` (podman), `$DOCKER_CONFIG/config.json` or
/// `~/.docker/config.json`; the first file that knows the host wins.
public struct DockerConfigCredentials: CredentialProvider {
    /// The files consulted, in order.
    public let paths: [String]
    /// Where `docker-credential-<name>` programs are looked up; `nil` uses `PATH`.
    public let helperSearchPath: String?

    /// Reads the given files; credential helpers are found on `helperSearchPath` (a
    /// `PATH`-style list) or, by default, on `PATH`.
    public init(paths: [String], helperSearchPath: String? = nil) {
        self.paths = paths
        self.helperSearchPath = helperSearchPath
    }

    /// The files Docker, podman and skopeo use, from `environment`.
    public static func standard(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> DockerConfigCredentials {
        DockerConfigCredentials(paths: standardPaths(environment: environment))
    }

    /// The file `wharf login` writes: `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`.
    public static func dockerConfigPath(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            return (directory as NSString).appendingPathComponent("config.json")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".docker/config.json")
    }

    static func standardPaths(environment: [String: String]) -> [String] {
        var paths: [String] = []
        if let file = environment["REGISTRY_AUTH_FILE"], !file.isEmpty { paths.append(file) }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            paths.append((runtime as NSString).appendingPathComponent("containers/auth.json"))
        }
        paths.append(dockerConfigPath(environment: environment))
        return paths
    }

    /// The credentials for `host` from the first file that has an entry or helper for it.
    public func credentials(for host: String) async throws -> RegistryCredentials? {
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let file = try DockerConfigFile.load(path: path)
            if let helper = file.credHelpers?[host] ?? file.credHelpers?[Self.alias(of: host) ?? ""] {
                return try await CredentialHelper.get(
                    helper: helper, host: host, searchPath: helperSearchPath)
            }
            if let entry = file.entry(for: host) ?? Self.alias(of: host).flatMap(file.entry(for:)) {
                return try entry.credentials(path: path, host: host)
            }
            if let store = file.credsStore, !store.isEmpty,
                let found = try await CredentialHelper.get(
                    helper: store, host: host, searchPath: helperSearchPath)
            {
                return found
            }
        }
        return nil
    }

    /// The key a registry's credentials are stored under in `config.json`: Docker Hub's
    /// legacy index URL for Docker Hub, the host itself otherwise.
    package static func configKey(forHost host: String) -> String {
        alias(of: host) ?? host
    }

    /// Docker Hub's credentials live under its legacy index URL.
    static func alias(of host: String) -> String? {
        host == "docker.io" || host == "registry-1.docker.io" || host == "index.docker.io"
            ? "https://index.docker.io/v1/" : nil
    }
}

/// `config.json` / `auth.json`: only the parts that hold credentials.
struct DockerConfigFile: Codable {
    struct Entry: Codable {
        var auth: String?
        var username: String?
        var password: String?
        var identitytoken: String?

        func credentials(path: String, host: String) throws -> RegistryCredentials? {
            if let username, let password, !username.isEmpty {
                return RegistryCredentials(username: username, password: password)
            }
            guard let auth, !auth.isEmpty else { return nil }
            guard let data = Data(base64Encoded: auth), let text = String(data: data, encoding: .utf8),
                let colon = text.firstIndex(of: ":")
            else {
                throw CredentialError("\(path): the auth entry for \(host) is not base64 of user:password")
            }
            return RegistryCredentials(
                username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
        }
    }

    var auths: [String: Entry]?
    var credsStore: String?
    var credHelpers: [String: String]?

    static func load(path: String) throws -> DockerConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CredentialError("cannot read \(path): \(error.localizedDescription)")
        }
        if data.isEmpty { return DockerConfigFile() }
        do {
            return try JSONDecoder().decode(DockerConfigFile.self, from: data)
        } catch {
            throw CredentialError("\(path) is not a valid credentials file: \(error)")
        }
    }

    /// The entry for `host`, also under the forms other tools write: with a scheme, with
    /// a trailing path.
    func entry(for host: String) -> Entry? {
        guard let auths else { return nil }
        if let entry = auths[host] { return entry }
        for (key, entry) in auths {
            var stripped = Substring(key)
            for scheme in ["https://", "http://"] where stripped.hasPrefix(scheme) {
                stripped = stripped.dropFirst(scheme.count)
            }
            if let slash = stripped.firstIndex(of: "/") { stripped = stripped[..<slash] }
            if stripped == host { return entry }
        }
        return nil
    }
}

/// A credentials file or helper that could not be used.
public struct CredentialError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
