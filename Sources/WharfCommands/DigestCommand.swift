import ArgumentParser
import Foundation
import WharfContent
import WharfImage

/// `wharf digest FILE|REF`: a file's content digest, or the digest an image reference
/// resolves to.
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the digest of a file, or of the manifest an image reference names.",
        discussion:
            "An existing file is hashed; anything else is read as REGISTRY/REPO[:TAG] or oci:DIR[:TAG].")

    @Argument(help: "A file, or an image reference.")
    var target: String

    @Option(name: .shortAndLong, help: "The digest algorithm for files: sha256 or sha512.")
    var algorithm = "sha256"

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions

    func run() async throws {
        var isDirectory: ObjCBool = false
        if !target.hasPrefix("oci:"),
            FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory),
            !isDirectory.boolValue
        {
            return try await digestFile()
        }
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: target))
        // Like crane: the reference's own digest unless a platform is asked for.
        let selection: PlatformSelection = platforms.platform == nil ? .all : try platforms.selection
        print(try await store.resolve(.reference(reference), platforms: selection).digest)
    }

    private func digestFile() async throws {
        guard let algorithm = DigestAlgorithm(rawValue: algorithm) else {
            throw ValidationError("unsupported algorithm \"\(algorithm)\" (supported: sha256, sha512)")
        }
        let hasher = DigestHasher(algorithm: algorithm)
        for try await chunk in FileByteStream(path: target, chunkSize: 4 << 20) {
            hasher.update(chunk)
        }
        print(hasher.finalize())
    }
}
