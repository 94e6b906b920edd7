import ArgumentParser
import Foundation
import WharfContent
import WharfStorage

/// `wharf gc --root DIR`: collects unreferenced blobs (and, on request, untagged manifests)
/// from a storage root, safely while registries serve it.
struct GarbageCollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Delete blobs no manifest references, and optionally untagged manifests.",
        discussion: """
            Safe to run while `wharf serve` (or several of them) serves the same root: blobs \
            written, linked or claimed within the grace window are never deleted.
            """)

    @Option(help: "The storage root (the same directory as Distribution's rootdirectory).")
    var root = "./wharf-data"

    @Flag(help: "List what would be deleted and the bytes freed, without deleting.")
    var dryRun = false

    @Flag(help: "Also delete manifests no tag reaches (never those a tagged index references).")
    var deleteUntagged = false

    @Option(help: "Keep anything newer than this (e.g. 30m, 1h, 2h30m, 7d).")
    var grace = "1h"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Also remove upload sessions started (and last written) longer ago than this, e.g. 168h.")
    var purgeUploadsOlderThan: String?

    func run() async throws {
        guard let graceDuration = DurationArgument.parse(grace) else {
            throw ValidationError("invalid duration \"\(grace)\" (use forms like 90s, 30m, 1h30m, 7d)")
        }
        guard FileManager.default.fileExists(atPath: root) else {
            throw ValidationError("no storage root at \(root)")
        }
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        if let text = purgeUploadsOlderThan {
            guard let age = DurationArgument.parse(text) else {
                throw ValidationError("invalid duration \"\(text)\" (use forms like 90s, 30m, 1h30m, 7d)")
            }
            if !dryRun {
                let purged = try await store.purgeUploads(olderThan: age)
                if !json { print("purged \(purged) abandoned upload sessions") }
            }
        }
        let report = try await GarbageCollector(store: store).run(
            GarbageCollectionOptions(dryRun: dryRun, deleteUntagged: deleteUntagged, grace: graceDuration))
        if json {
            print(try GarbageCollectionReportJSON(report, dryRun: dryRun).encoded())
            return
        }
        let verb = dryRun ? "would delete" : "deleted"
        for manifest in report.deletedManifests {
            print("manifest \(manifest.repository)@\(manifest.digest) \(verb)")
        }
        for blob in report.deletedBlobs {
            print("blob \(blob) \(verb)")
        }
        print(
            "\(verb) \(report.deletedBlobs.count) blobs (\(report.bytesFreed) bytes) and \(report.deletedManifests.count) manifests; "
                + "kept \(report.referencedBlobs) referenced and \(report.recentBlobsKept) recent blobs")
    }
}

/// The JSON form of a garbage collection report.
struct GarbageCollectionReportJSON: Encodable {
    struct Manifest: Encodable {
        var repository: String
        var digest: String
    }

    var dryRun: Bool
    var deletedBlobs: [String]
    var deletedManifests: [Manifest]
    var bytesFreed: Int64
    var referencedBlobs: Int
    var recentBlobsKept: Int

    init(_ report: GarbageCollectionReport, dryRun: Bool) {
        self.dryRun = dryRun
        deletedBlobs = report.deletedBlobs.map(\.description)
        deletedManifests = report.deletedManifests.map {
            Manifest(repository: $0.repository, digest: $0.digest.description)
        }
        bytesFreed = report.bytesFreed
        referencedBlobs = report.referencedBlobs
        recentBlobsKept = report.recentBlobsKept
    }

    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
