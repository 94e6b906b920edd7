import Foundation

/// Runs Docker credential helpers (`docker-credential-<name> get`, the host on standard
/// input, JSON `{"ServerURL","Username","Secret"}` on standard output).
enum CredentialHelper {
    static func get(helper: String, host: String, searchPath: String?) async throws -> RegistryCredentials? {
        guard helper.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }) else {
            throw CredentialError("invalid credential helper name \"\(helper)\"")
        }
        let program = "docker-credential-\(helper)"
        let output = try await run(program, input: host, searchPath: searchPath)
        if output.status != 0 {
            // Helpers say "credentials not found in native keychain" for unknown hosts.
            if output.text.lowercased().contains("not found") { return nil }
            throw CredentialError("\(program) get failed (\(output.status)): \(output.text)")
        }
        struct Answer: Decodable {
            var Username: String
            var Secret: String
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.text.utf8)) else {
            throw CredentialError("\(program) get printed something other than credentials JSON")
        }
        return RegistryCredentials(username: answer.Username, password: answer.Secret)
    }

    private static func run(
        _ program: String, input: String, searchPath: String?
    ) async throws -> (status: Int32, text: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = [program, "get"]
                    if let searchPath {
                        var environment = ProcessInfo.processInfo.environment
                        environment["PATH"] = searchPath
                        process.environment = environment
                    }
                    let stdin = Pipe()
                    let stdout = Pipe()
                    process.standardInput = stdin
                    process.standardOutput = stdout
                    process.standardError = stdout
                    try process.run()
                    try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
                    try stdin.fileHandleForWriting.close()
                    let data = stdout.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    continuation.resume(
                        returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
                } catch {
                    continuation.resume(throwing: CredentialError("cannot run \(program): \(error)"))
                }
            }
        }
    }
}
