import ArgumentParser
import Foundation
import WharfSign

/// `wharf key generate`: a cosign-compatible key pair.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Make signing keys.", subcommands: [GenerateKeyCommand.self])
}

/// `wharf key generate [--output-key-prefix P]`.
struct GenerateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract:
            "Generate an ECDSA P-256 key pair in cosign's formats: PREFIX.key (encrypted) and PREFIX.pub.")

    @Option(help: "Write PREFIX.key and PREFIX.pub.")
    var outputKeyPrefix = "cosign"

    @Option(
        help: ArgumentHelp(
            "The private key's form: sigstore (cosign 2.2+), or cosign (N = 32768, for containers/image before 5.25)."
        ))
    var format = "sigstore"

    @OptionGroup var passphrase: KeyPassphraseOptions

    func run() async throws {
        let encryption: EncryptedKeyFormat =
            switch format {
            case "sigstore": .sigstore
            case "cosign": .cosignLegacy
            default: throw ValidationError("--format is sigstore or cosign")
            }
        let (privatePath, publicPath) = (outputKeyPrefix + ".key", outputKeyPrefix + ".pub")
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw CommandError("\(path) exists; remove it or choose another --output-key-prefix")
        }
        let key = SigningKey.generate()
        let pem = try key.encryptedPEM(
            passphrase: try passphrase.passphrase(confirm: true), format: encryption)
        guard
            FileManager.default.createFile(
                atPath: privatePath, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        else { throw CommandError("cannot write \(privatePath)") }
        try key.verificationKey.pem.write(toFile: publicPath, atomically: true, encoding: .utf8)
        print("Private key written to \(privatePath)\nPublic key written to \(publicPath)")
    }
}
