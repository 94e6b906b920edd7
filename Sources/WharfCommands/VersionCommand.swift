import ArgumentParser

/// `wharf version`: prints the version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the Wharf version.")

    func run() {
        print("wharf \(WharfVersion.current)")
    }
}
