import ArgumentParser
import Foundation
import WharfImage

/// `wharf manifest --layout DIR REF`: prints a manifest's exact bytes.
struct ManifestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest", abstract: "Print the exact bytes of a manifest or index.")

    @Option(help: "Read from this OCI image layout directory.")
    var layout: String

    @Argument(help: "A tag or digest in the layout.")
    var reference: String

    func run() async throws {
        let store = try await OCILayoutStore(root: layout, create: false)
        let descriptor = try await store.resolve(reference)
        guard descriptor.mediaType.isManifestOrIndex else {
            throw ValidationError("\(reference) is a \(descriptor.mediaType), not a manifest or index")
        }
        let bytes = try await store.fetch(descriptor).collect(upTo: ContentGraph.defaultManifestSizeLimit)
        FileHandle.standardOutput.write(Data(bytes.readableBytesView))
    }
}
