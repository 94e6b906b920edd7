import ArgumentParser
import Foundation
import WharfClient
import WharfPolicy

/// `wharf retention run`: applies the retention policy of a configuration file to a root.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Apply retention policies: Harbor's templates and ECR lifecycle policies.",
        subcommands: [Run.self])

    /// `wharf retention run --root DIR --config FILE`.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove what the retention policy lets go, or with --dry-run list it.",
            discussion: """
                Reads `retention` (and `immutableTags`, `metadata`, `gc.grace`) from the same \
                configuration file as `wharf serve`, and judges by the push and pull times in \
                the root's metadata database. Safe while `wharf serve` runs on the root; blobs \
                are freed by the next `wharf gc`. A dry run and a real run on the same state \
                remove the same set. With --server, a running registry applies its own policy \
                through its management API (needs the admin action on every repository).
                """)

        @Option(help: "The storage root (the configuration's root by default, else ./wharf-data).")
        var root: String?

        @Option(help: "The configuration file with the retention section.")
        var config: String?

        @Option(help: "Have this registry (HOST[:PORT]) apply its policy, through its management API.")
        var server: String?

        @OptionGroup var registry: RegistryOptions

        @Flag(help: "List what would go, and why, without removing anything.")
        var dryRun = false

        @Flag(help: "Print the report as JSON.")
        var json = false

        func run() async throws {
            if let server {
                guard config == nil, root == nil else {
                    throw ValidationError(
                        "--server applies the server's own policy: drop --config and --root")
                }
                let data = try await registry.client(for: server).management(
                    dryRun ? "retention/dry-run" : "retention/run", post: true)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let report = try decoder.decode(RetentionReport.self, from: data)
                print(try RetentionReportOutput.render(report, json: json), terminator: "")
                return
            }
            guard let config else { throw ValidationError("name a --config file, or a --server") }
            let file = try ServeConfiguration.load(path: config)
            let root = self.root ?? file.root ?? "./wharf-data"
            guard FileManager.default.fileExists(atPath: root) else {
                throw ValidationError("no storage root at \(root)")
            }
            let policy = try RetentionLoader.policy(file.retention)
            guard !policy.rules.isEmpty || !policy.lifecyclePolicies.isEmpty else {
                throw ValidationError("\(config) has no retention rules or lifecycle policies")
            }
            var options = RegistryStoreOptions()
            options.immutableTags = TagImmutability(rules: file.immutableTags?.map(\.rule) ?? [])
            let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root), options: options)
            let path = file.metadata?.path ?? MetadataLoader.defaultPath(root: root)
            let metadata =
                FileManager.default.fileExists(atPath: path) ? try SQLiteMetadataStore(path: path) : nil
            let activity = metadata.map { ActivityRecorder(store: $0) }
            let report = try await RetentionRunner(store: store, policy: policy, activity: activity).run(
                RetentionOptions(dryRun: dryRun, grace: try RetentionLoader.grace(file)))
            await activity?.flush()
            print(try RetentionReportOutput.render(report, json: json), terminator: "")
        }
    }
}

/// Prints retention reports.
enum RetentionReportOutput {
    static func render(_ report: RetentionReport, json: Bool) throws -> String {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        }
        let verb = report.dryRun ? "would remove" : "removed"
        var text = ""
        for removal in report.removed {
            let tags = removal.tags.isEmpty ? "untagged" : removal.tags.joined(separator: ",")
            text += "\(verb) \(removal.repository)@\(removal.digest) (\(tags)): \(removal.reason)"
            text += removal.companions.isEmpty ? "\n" : " [+\(removal.companions.count) attached]\n"
        }
        for kept in report.protected {
            text += "kept \(kept.repository)@\(kept.digest): \(kept.reason)\n"
        }
        for error in report.errors { text += "error: \(error)\n" }
        text +=
            "\(report.repositories) repositories, \(report.artifacts) artifacts: \(report.removed.count) \(verb), "
            + "\(report.protected.count) kept by protections\n"
        return text
    }
}
