import ArgumentParser
import Foundation
import Logging
import WharfPolicy

/// `wharf metadata`: the metadata database beside a storage root.
struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Maintain the metadata database (history, pulls, audit log) of a storage root.",
        subcommands: [Rebuild.self])

    /// `wharf metadata rebuild --root DIR`.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Restore push times and tag history from storage.",
            discussion: """
                For a root CNCF Distribution wrote, or after the database was lost: push times \
                come from the storage's revision links, tag history from the tags' index links. \
                What the database already records is kept; records of manifests storage no \
                longer holds are removed. Pull counts, pushers and the audit log cannot be \
                restored. Safe while `wharf serve` runs on the same root.
                """)

        @Option(help: "The storage root.")
        var root = "./wharf-data"

        @Option(help: "The metadata database, if not the root's default (ROOT/wharf/metadata.sqlite).")
        var metadata: String?

        @Flag(help: "Print the report as JSON.")
        var json = false

        func run() async throws {
            guard FileManager.default.fileExists(atPath: root) else {
                throw ValidationError("no storage root at \(root)")
            }
            let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
            let database = try SQLiteMetadataStore(path: metadata ?? MetadataLoader.defaultPath(root: root))
            let report = try await MetadataRebuilder(store: store, metadata: database).run()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(
                    "\(report.repositories) repositories, \(report.manifests) manifests: "
                        + "\(report.recordsCreated) records created, \(report.recordsRemoved) removed, "
                        + "\(report.tagChanges) tag changes restored")
            }
        }
    }
}
