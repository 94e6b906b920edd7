import ArgumentParser
import Foundation
import WharfContent
import WharfImage
import WharfSign

/// `wharf sign IMAGE --key cosign.key`: signs an image as cosign does.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an image with a key, as cosign does (sha256-<digest>.sig, or an OCI 1.1 referrer).",
        discussion: "IMAGE is REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG] (with --identity).")

    @Argument(help: "The image.") var image: String
    @Option(help: "The private key (cosign's encrypted PEM).") var key: String
    @Option(
        name: [.customShort("a"), .customLong("annotation")],
        help: "An annotation KEY=VALUE for the payload (repeatable).")
    var annotations: [String] = []
    @Flag(help: "Also sign each image of a multi-platform index.") var recursive = false
    @Flag(help: "Store the signature as an OCI 1.1 referrer instead of at the .sig tag.") var referrers =
        false
    @Option(help: "The identity to sign (default: the image's repository).") var identity: String?
    @OptionGroup var passphrase: KeyPassphraseOptions
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let signingKey = try SigningKey(
            encryptedPEM: try readFile(key, what: "key"),
            passphrase: try passphrase.passphrase(confirm: false))
        var payloadAnnotations: [String: String] = [:]
        for annotation in annotations {
            guard let equals = annotation.firstIndex(of: "=") else {
                throw ValidationError("--annotation takes KEY=VALUE, not \(annotation)")
            }
            payloadAnnotations[String(annotation[..<equals])] = String(
                annotation[annotation.index(after: equals)...])
        }
        let location = try ImageLocation(parsing: image)
        let signedIdentity = try identity ?? SigningIdentity.of(location)
        let (store, reference) = try await ImageEndpoints(registry: registry).target(location)
        let root = try await store.resolve(reference ?? location.reference ?? ImageReference.defaultTag)
        var images = [root]
        if recursive, root.mediaType.isIndex {
            let bytes = try await store.fetch(root).collect(upTo: ContentGraph.defaultManifestSizeLimit)
            images += try ContentGraph.edges(of: root, content: bytes).children
        }
        let signer = ImageSigner(key: signingKey)
        for image in images {
            let outcome = try await signer.sign(
                image, identity: signedIdentity, in: store, annotations: payloadAnnotations,
                placement: referrers ? .referrer : .tag)
            switch outcome {
            case .stored(let source): print("Signed \(image.digest) (\(source))")
            case .unchanged(let source): print("Already signed \(image.digest) with this key (\(source))")
            }
        }
    }
}

/// `wharf verify IMAGE --key cosign.pub`: exit 0 only when a signature verifies.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an image's cosign signatures with a public key; exit 0 only when one verifies.")

    @Argument(help: "The image.") var image: String
    @Option(help: "The public key (PEM, repeatable).") var key: [String]
    @Option(help: "Require this signed identity (default: the image's repository; 'any' for none).")
    var identity: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let keys = try key.map { path in try VerificationKey(pem: try readFile(path, what: "public key")) }
        let location = try ImageLocation(parsing: image)
        let required: String? =
            switch identity {
            case "any": nil
            case let explicit?: explicit
            case nil: try? SigningIdentity.of(location)
            }
        let (store, reference) = try await ImageEndpoints(registry: registry).source(location)
        let root = try await store.resolve(reference)
        let result = try await SignatureVerifier(keys: keys).verify(root, in: store, identity: required)
        if output.json {
            try output.printJSON(VerifyReport(result, image: root.digest))
        } else {
            for signature in result.verified {
                print(
                    "Verified: \(signature.payload.dockerReference) \(signature.payload.manifestDigest) by \(signature.key) (\(signature.source))"
                )
            }
            for rejected in result.rejected {
                FileHandle.standardError.write(
                    Data("Not verified (\(rejected.source)): \(rejected.reason)\n".utf8))
            }
        }
        guard result.isVerified else {
            throw CommandError(
                "no signature of \(root.digest) verifies with the given key\(keys.count == 1 ? "" : "s")")
        }
    }
}

/// What `wharf verify --json` prints.
struct VerifyReport: Encodable {
    struct Verified: Encodable {
        var key: String
        var identity: String
        var digest: String
        var source: String
        var annotations: [String: String]
    }
    var image: String
    var verified: [Verified]
    var rejected: [RejectionReport]

    init(_ result: SignatureVerification, image: OCIDigest) {
        self.image = image.description
        verified = result.verified.map {
            Verified(
                key: $0.key.description, identity: $0.payload.dockerReference,
                digest: $0.payload.manifestDigest.description, source: $0.source.description,
                annotations: $0.payload.annotations)
        }
        rejected = result.rejected.map(RejectionReport.init)
    }
}

/// A signature or attestation that did not verify, as the `--json` reports list it.
struct RejectionReport: Encodable {
    var source: String
    var reason: String

    init(_ rejected: RejectedSignature) {
        source = rejected.source.description
        reason = rejected.reason.description
    }
}

/// The identity cosign signs an image as: its repository, with Docker Hub written
/// `index.docker.io` as go-containerregistry names it.
enum SigningIdentity {
    static func of(_ location: ImageLocation) throws -> String {
        guard case .registry(let reference) = location else {
            throw ValidationError("an image in a layout has no repository: give --identity REGISTRY/REPO")
        }
        let registry =
            reference.registry == ImageReference.defaultRegistry ? "index.docker.io" : reference.registry
        return "\(registry)/\(reference.repository)"
    }
}

func readFile(_ path: String, what: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw CommandError("cannot read \(what) \(path)")
    }
}
