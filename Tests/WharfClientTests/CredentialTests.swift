import Foundation
import Testing
import WharfClient
import WharfTestSupport

@Suite("Credentials from Docker and podman files and credential helpers")
struct CredentialTests {
    @Test("auths entries are found by host, with or without scheme and path, and Docker Hub by its index URL")
    func authsEntries() async throws {
        let directory = try TemporaryDirectory()
        let config = directory.appending("config.json")
        func auth(_ user: String, _ password: String) -> String {
            Data("\(user):\(password)".utf8).base64EncodedString()
        }
        try """
        {"auths": {
          "registry.example.com": {"auth": "\(auth("alice", "pa:ss"))"},
          "https://other.example.com/v1/": {"auth": "\(auth("bob", "secret"))"},
          "https://index.docker.io/v1/": {"auth": "\(auth("hub", "token"))"},
          "broken.example.com": {"auth": "%%%"}
        }}
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let provider = DockerConfigCredentials(paths: [config])
        #expect(
            try await provider.credentials(for: "registry.example.com")
                == RegistryCredentials(username: "alice", password: "pa:ss"))
        #expect(
            try await provider.credentials(for: "other.example.com")
                == RegistryCredentials(username: "bob", password: "secret"))
        #expect(
            try await provider.credentials(for: "docker.io")
                == RegistryCredentials(username: "hub", password: "token"))
        #expect(try await provider.credentials(for: "unknown.example.com") == nil)
        await #expect(throws: CredentialError.self) {
            try await provider.credentials(for: "broken.example.com")
        }
    }

    @Test("podman's auth.json comes first, then Docker's config.json")
    func searchOrder() async throws {
        let directory = try TemporaryDirectory()
        let runtime = directory.appending("run")
        try FileManager.default.createDirectory(
            atPath: runtime + "/containers", withIntermediateDirectories: true)
        let dockerDirectory = directory.appending("docker")
        try FileManager.default.createDirectory(atPath: dockerDirectory, withIntermediateDirectories: true)
        let encoded = Data("podman:pw".utf8).base64EncodedString()
        try #"{"auths":{"r.example.com":{"auth":"\#(encoded)"}}}"#.write(
            toFile: runtime + "/containers/auth.json", atomically: true, encoding: .utf8)
        try
            #"{"auths":{"r.example.com":{"username":"docker","password":"pw"},"d.example.com":{"username":"docker","password":"pw"}}}"#
            .write(toFile: dockerDirectory + "/config.json", atomically: true, encoding: .utf8)
        let provider = DockerConfigCredentials.standard(environment: [
            "XDG_RUNTIME_DIR": runtime, "DOCKER_CONFIG": dockerDirectory, "HOME": directory.path,
        ])
        #expect(try await provider.credentials(for: "r.example.com")?.username == "podman")
        #expect(try await provider.credentials(for: "d.example.com")?.username == "docker")
    }

    @Test("credHelpers and credsStore run docker-credential-<name> get with the host on standard input")
    func helpers() async throws {
        let directory = try TemporaryDirectory()
        let bin = directory.appending("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // A helper in the documented protocol: reads the server URL, prints JSON.
        let helper = bin + "/docker-credential-wharftest"
        try """
        #!/bin/sh
        [ "$1" = get ] || exit 2
        read host
        case "$host" in
          helped.example.com) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"helper-secret"}' "$host" ;;
          stored.example.com) printf '{"ServerURL":"%s","Username":"store-user","Secret":"store-secret"}' "$host" ;;
          *) echo "credentials not found in native keychain"; exit 1 ;;
        esac
        """.write(toFile: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper)
        let config = directory.appending("config.json")
        try #"{"credHelpers":{"helped.example.com":"wharftest"},"credsStore":"wharftest"}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let provider = DockerConfigCredentials(paths: [config], helperSearchPath: bin + ":/usr/bin:/bin")
        #expect(
            try await provider.credentials(for: "helped.example.com")
                == RegistryCredentials(username: "helper-user", password: "helper-secret"))
        #expect(try await provider.credentials(for: "stored.example.com")?.username == "store-user")
        #expect(try await provider.credentials(for: "nobody.example.com") == nil)
        let missing = DockerConfigCredentials(paths: [config], helperSearchPath: directory.appending("empty"))
        await #expect(throws: CredentialError.self) {
            try await missing.credentials(for: "helped.example.com")
        }
    }
}
