public import ArgumentParser

/// The `wharf` command line: the root command and its verbs.
public struct WharfCommand: AsyncParsableCommand {
    /// The root command's configuration: its name and verbs.
    public static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "Container registry toolkit: OCI images, layouts, registries.",
        subcommands: [])

    /// Creates the command; ArgumentParser fills in its options.
    public init() {}
}
