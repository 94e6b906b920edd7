import ArgumentParser
import Foundation
import WharfContent
import WharfImage
import WharfSign

/// `wharf copy SRC DST`: any image location to any other, digest-preserving.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image between registries and OCI layouts (oci:DIR[:TAG]).",
        discussion: """
            Blobs the destination has are skipped, blobs a sibling repository of the same \
            registry has are mounted, everything else streams through verified. Manifests \
            keep their exact bytes, so digests are preserved. With --signatures, the image's \
            cosign signatures, attestations and SBOM (the .sig, .att and .sbom tags) and its \
            OCI 1.1 referrers come along.
            """)

    @Argument(help: "The source: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var source: String

    @Argument(help: "The destination, in the same forms.")
    var destination: String

    @Flag(help: "Also copy the image's signatures, attestations, SBOM and other referrers.")
    var signatures = false

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ImageTransfer(registry: registry, platforms: platforms, output: output).copy(
            from: try ImageLocation(parsing: source), to: try ImageLocation(parsing: destination),
            withAttachments: signatures)
    }
}

/// The verbs that move images: pull, push and copy share it.
struct ImageTransfer {
    let registry: RegistryOptions
    let platforms: PlatformOptions
    let output: OutputOptions

    func copy(
        from source: ImageLocation, to destination: ImageLocation, withAttachments: Bool = false
    ) async throws {
        let endpoints = ImageEndpoints(registry: registry)
        let (sourceStore, reference) = try await endpoints.source(source)
        let (targetStore, targetReference) = try await endpoints.target(destination, mountingFrom: source)
        let (events, reporter) = CopyProgress.makeStream()
        let renderer = ProgressRenderer(enabled: !output.quiet && !output.json)
        let rendering = Task { await renderer.render(events) }
        let summary: CopySummary
        do {
            summary = try await copyGraph(
                from: sourceStore, root: .reference(reference), to: targetStore, as: targetReference,
                options: CopyOptions(
                    concurrency: registry.concurrency, platforms: try platforms.selection, progress: reporter)
            )
            await rendering.value
        } catch {
            await rendering.value
            throw error
        }
        if withAttachments {
            try await AttachmentCopier(options: CopyOptions(concurrency: registry.concurrency))
                .copyAttachments(of: summary.root, from: sourceStore, to: targetStore)
        }
        if output.json {
            try output.printJSON(
                CopyReport(
                    digest: summary.root.digest.description, mediaType: summary.root.mediaType.rawValue,
                    size: summary.root.size, transferred: summary.transferred, skipped: summary.skipped,
                    mounted: summary.mounted, bytes: summary.bytes))
        } else {
            print(summary.root.digest)
        }
    }
}

/// What `--json` prints after a copy.
struct CopyReport: Encodable {
    var digest: String
    var mediaType: String
    var size: Int64
    var transferred: Int
    var skipped: Int
    var mounted: Int
    var bytes: Int64
}
