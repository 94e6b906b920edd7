import ArgumentParser
import Foundation
import WharfScan

/// `wharf db`: works on advisory databases.
struct DatabaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db", abstract: "Build advisory databases for `wharf scan`.",
        subcommands: [DatabaseBuildCommand.self])
}

/// `wharf db build SOURCE... --output FILE`: compiles OSV dumps into one mapped database.
struct DatabaseBuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compile OSV advisories (directories or all.zip dumps) into one database file.",
        discussion: """
            `wharf scan --db FILE` opens the compiled file in constant time and reads only \
            the advisories of the image's packages, however large the database. Sources are \
            read in order; an advisory id already read from an earlier source is skipped, \
            and withdrawn advisories are left out. The file replaces OUTPUT atomically.
            """)

    @Argument(help: "OSV sources: directories of JSON files, zips (all.zip), or single files.")
    var sources: [String]

    @Option(name: .shortAndLong, help: "The database file to write.")
    var output: String

    @OptionGroup var options: OutputOptions

    func run() async throws {
        guard !sources.isEmpty else { throw ValidationError("name at least one OSV source") }
        let summary = try AdvisoryDatabase.compile(sources: sources, to: output)
        if options.json {
            try options.printJSON(summary)
        } else if !options.quiet {
            print(
                "\(output): \(summary.advisories) advisories for \(summary.packages) packages"
                    + " (\(summary.withdrawn) withdrawn, \(summary.duplicates) duplicates left out)")
        }
    }
}
