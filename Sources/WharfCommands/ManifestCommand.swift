import ArgumentParser
import Foundation
import WharfContent
import WharfImage

/// `wharf manifest REF`: prints a manifest's exact bytes.
struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest", abstract: "Print the exact bytes of a manifest or index.")

    @Option(help: "Read from this OCI image layout directory (then REF is a tag or digest in it).")
    var layout: String?

    @Argument(help: "REGISTRY/REPO[:TAG|@DIGEST], oci:DIR[:TAG], or with --layout a tag or digest.")
    var reference: String

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let location =
            if let layout { ImageLocation.layout(path: layout, reference: reference) } else {
                try ImageLocation(parsing: reference)
            }
        let (store, name) = try await ImageEndpoints(registry: registry).source(location)
        let descriptor = try await store.resolve(name)
        guard descriptor.mediaType.isManifest else {
            throw ValidationError("\(reference) is a \(descriptor.mediaType), not a manifest or index")
        }
        let bytes = try await store.fetch(descriptor).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        FileHandle.standardOutput.write(Data(bytes.readableBytesView))
    }
}

/// `wharf config REF`: prints an image's configuration blob.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Print the exact bytes of an image's configuration.")

    @Argument(help: "REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var image: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions

    func run() async throws {
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let selection = try platforms.selection
        guard case .platform = selection else {
            throw ValidationError("config needs one platform, not --all-platforms")
        }
        let root = try await store.resolve(.reference(reference), platforms: selection)
        let bytes = try await store.fetch(root).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        let manifest = try ImageManifest.decode(Data(bytes.readableBytesView))
        let config = try await store.fetch(manifest.config).collect(upTo: 64 << 20)
        FileHandle.standardOutput.write(Data(config.readableBytesView))
    }
}
