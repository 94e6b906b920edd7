import ArgumentParser
import WharfImage

/// `wharf pull REF DIR`: a registry image into an OCI layout.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull an image into an OCI image layout directory.")

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST].")
    var image: String

    @Argument(help: "The layout directory (created if missing); the image is tagged with REF's tag.")
    var directory: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let source = try ImageLocation(parsing: image)
        guard case .registry(let reference) = source else {
            throw ValidationError("pull takes a registry reference")
        }
        try await ImageTransfer(registry: registry, platforms: platforms, output: output).copy(
            from: source,
            to: .layout(
                path: directory, reference: reference.tag ?? (reference.digest == nil ? "latest" : nil)))
    }
}

/// `wharf push DIR[:TAG] REF`: an OCI layout's image to a registry.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Push an image from an OCI image layout directory.")

    @Argument(help: "The layout directory, optionally with the tag to push: DIR[:TAG].")
    var layout: String

    @Argument(help: "The destination: REGISTRY/REPO[:TAG].")
    var image: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let destination = try ImageLocation(parsing: image)
        guard case .registry = destination else { throw ValidationError("push takes a registry reference") }
        let source = try ImageLocation(parsing: layout.hasPrefix("oci:") ? layout : "oci:" + layout)
        // Pushing from a layout keeps what the layout holds: an index stays an index.
        var platforms = self.platforms
        if platforms.platform == nil { platforms.allPlatforms = true }
        try await ImageTransfer(registry: registry, platforms: platforms, output: output).copy(
            from: source, to: destination)
    }
}
