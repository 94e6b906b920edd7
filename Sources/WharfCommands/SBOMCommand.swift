import ArgumentParser
import Foundation
import WharfImage
import WharfScan

/// `wharf sbom REF`: the packages of an image as a CycloneDX or SPDX document.
struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "Write an image's software bill of materials (CycloneDX 1.6 or SPDX 2.3 JSON).")

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var image: String

    @Option(help: "cyclonedx or spdx.")
    var format = "cyclonedx"

    @Option(help: "Write the document here instead of standard output.")
    var output: String?

    @Flag(help: "Also push the document to the registry as an OCI 1.1 referrer of the image.")
    var attach = false

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions

    func run() async throws {
        guard ["cyclonedx", "spdx"].contains(format) else {
            throw ValidationError("--format must be cyclonedx or spdx")
        }
        guard case .platform(let platform) = try platforms.selection else {
            throw ValidationError("sbom takes one platform, not --all-platforms")
        }
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let report = try await ImageScanner(advisories: nil).scan(reference, in: store, platform: platform)
        let document = try ReportOutput.render(report, format: format)
        if attach {
            guard case .registry(let image) = try ImageLocation(parsing: image) else {
                throw ValidationError("--attach needs an image in a registry")
            }
            let subject = try await store.resolve(.reference(reference), platforms: .platform(platform))
            let artifact = try await attachArtifact(
                Array(document),
                mediaType: format == "spdx" ? "application/spdx+json" : "application/vnd.cyclonedx+json",
                to: subject, in: try registry.repository(image),
                annotations: ["org.opencontainers.image.created": Date().formatted(.iso8601)])
            FileHandle.standardError.write(Data("attached \(artifact.digest) to \(subject.digest)\n".utf8))
        }
        try ReportOutput.write(document, to: output)
    }
}
