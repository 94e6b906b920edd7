import ArgumentParser
import WharfContent

/// `wharf digest FILE`: prints the content digest of a file, streaming it.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "Print the digest of a file (as registries address it).")

    @Argument(help: "The file to digest.")
    var file: String

    @Option(name: .shortAndLong, help: "The digest algorithm: sha256 or sha512.")
    var algorithm = "sha256"

    func run() async throws {
        guard let algorithm = DigestAlgorithm(rawValue: algorithm) else {
            throw ValidationError("unsupported algorithm \"\(algorithm)\" (supported: sha256, sha512)")
        }
        let hasher = DigestHasher(algorithm: algorithm)
        for try await chunk in FileByteStream(path: file, chunkSize: 4 << 20) {
            hasher.update(chunk)
        }
        print(hasher.finalize())
    }
}
