public import ArgumentParser

/// The `wharf` command line: the root command and its verbs.
public struct WharfCommand: AsyncParsableCommand {
    /// The root command's configuration: its name and verbs.
    public static let configuration = CommandConfiguration(
        commandName: "wharf",
        abstract: "Container registry toolkit: OCI images, layouts, registries.",
        version: WharfVersion.current,
        subcommands: [
            ServeCommand.self,
            PullCommand.self, PushCommand.self, CopyCommand.self, TagCommand.self, ListTagsCommand.self,
            CatalogCommand.self, ManifestCommand.self, ConfigCommand.self, DigestCommand.self,
            DeleteCommand.self,
            LoginCommand.self, LogoutCommand.self, ScanCommand.self, SBOMCommand.self, DatabaseCommand.self,
            LayoutCommand.self, GarbageCollectCommand.self, BlobCommand.self, KeyCommand.self,
            SignCommand.self,
            VerifyCommand.self, AttestCommand.self, VerifyAttestationCommand.self, TreeCommand.self,
            AuditCommand.self, MetadataCommand.self, RetentionCommand.self, VersionCommand.self,
        ])

    /// Creates the command; ArgumentParser fills in its options.
    public init() {}

    /// Parses the process's arguments, runs the chosen verb, and exits with its status.
    public static func runFromCommandLine() async {
        await main()
    }
}
