import ArgumentParser
import Foundation
import WharfClient

/// `wharf login REGISTRY`: checks credentials and stores them in Docker's config.json.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Log in to a registry (stores credentials in ~/.docker/config.json).")

    @Argument(help: "The registry host.")
    var host: String

    @Option(name: .shortAndLong, help: "The user name.")
    var username: String

    @Option(name: .shortAndLong, help: "The password (prefer --password-stdin).")
    var password: String?

    @Flag(help: "Read the password from standard input.")
    var passwordStdin = false

    @Flag(help: "Use plain HTTP (loopback registries always do).")
    var insecure = false

    func run() async throws {
        var secret = password
        if passwordStdin {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        guard let secret, !secret.isEmpty else {
            throw ValidationError("give --password or --password-stdin")
        }
        let credentials = RegistryCredentials(username: username, password: secret)
        let client = try RegistryClient(
            host: RegistryClient.apiHost(forRegistry: host),
            configuration: RegistryClientConfiguration(
                insecure: insecure, credentials: StaticCredentials(credentials)))
        try await client.ping()
        let path = DockerConfigCredentials.dockerConfigPath()
        try DockerConfigEditor(path: path).store(
            credentials, for: DockerConfigCredentials.configKey(forHost: host))
        print("Login succeeded; credentials stored in \(path)")
    }
}

/// `wharf logout REGISTRY`: removes stored credentials.
struct LogoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout", abstract: "Remove a registry's credentials from ~/.docker/config.json.")

    @Argument(help: "The registry host.")
    var host: String

    func run() async throws {
        let path = DockerConfigCredentials.dockerConfigPath()
        let removed = try DockerConfigEditor(path: path).remove(
            DockerConfigCredentials.configKey(forHost: host))
        if !removed { throw CommandError("not logged in to \(host)") }
        print("Removed credentials for \(host) from \(path)")
    }
}
