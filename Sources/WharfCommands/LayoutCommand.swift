import ArgumentParser
import Foundation
import WharfImage

/// `wharf layout`: works on OCI image layout directories.
struct LayoutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "layout", abstract: "Inspect OCI image layout directories.",
        subcommands: [LayoutListCommand.self])
}

/// `wharf layout ls DIR`: lists what a layout's `index.json` names.
struct LayoutListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the manifests and tags of an OCI image layout.")

    @Argument(help: "The layout directory.")
    var directory: String

    @Flag(help: "Print JSON (one object per entry in an array) instead of a table.")
    var json = false

    func run() async throws {
        let store = try await OCILayoutStore(root: directory, create: false)
        let entries = try await store.index().manifests.map(LayoutEntry.init)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(entries), as: UTF8.self))
            return
        }
        let rows =
            [["TAG", "DIGEST", "MEDIA TYPE", "SIZE", "PLATFORM"]]
            + entries.map {
                [$0.tag ?? "<none>", $0.digest, $0.mediaType, String($0.size), $0.platform ?? ""]
            }
        print(TextTable.render(rows), terminator: "")
    }
}

/// One row of `wharf layout ls`.
struct LayoutEntry: Encodable {
    var tag: String?
    var digest: String
    var mediaType: String
    var size: Int64
    var platform: String?

    init(_ descriptor: Descriptor) {
        tag = descriptor.annotations?[Descriptor.refNameAnnotation]
        digest = descriptor.digest.description
        mediaType = descriptor.mediaType.rawValue
        size = descriptor.size
        platform = descriptor.platform?.description
    }
}
