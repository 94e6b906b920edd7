import Foundation
import WharfTestSupport

/// The `wharf` executable built alongside the tests, run as a user would run it.
enum WharfBinary {
    /// The built binary: it sits next to the test bundle in the build directory.
    static var path: String {
        get throws {
            let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            let candidates = [
                bundleDirectory.appendingPathComponent("wharf").path,
                Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("wharf").path,
            ]
            guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
                throw ToolFailure(
                    tool: "wharf", status: -1, output: "built binary not found in \(candidates)")
            }
            return found
        }
    }

    /// Runs `wharf` with `arguments`.
    static func run(_ arguments: [String]) async throws -> ProcessRunner.Result {
        try await ProcessRunner.launch(try path, arguments)
    }

    /// Runs `wharf` as a user whose credential files live in `home` (Docker's and
    /// podman's), never the machine's real ones.
    static func run(
        _ arguments: [String], home: String, input: Data? = nil, environment: [String: String] = [:]
    ) async throws -> ProcessRunner.Result {
        let isolated = [
            "HOME": home, "DOCKER_CONFIG": home + "/.docker", "XDG_RUNTIME_DIR": home + "/run",
            "REGISTRY_AUTH_FILE": "",
        ]
        return try await ProcessRunner.launch(
            try path, arguments, input: input, environment: isolated.merging(environment) { $1 })
    }
}
