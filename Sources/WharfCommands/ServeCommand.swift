import ArgumentParser
import Hummingbird
import Logging
import ServiceLifecycle
import WharfServer
import WharfStorage

/// `wharf serve`: the registry server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an OCI distribution-spec v1.1 registry.",
        discussion: """
            Storage is a directory in CNCF Distribution's layout: the same directory can be \
            served by Distribution's registry (storage.filesystem.rootdirectory) or collected \
            with `wharf gc` while this server runs.
            """)

    @Option(help: "The address to listen on, HOST:PORT (port 0 picks a free port).")
    var address = "127.0.0.1:5000"

    @Option(help: "The storage root directory.")
    var root = "./wharf-data"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "Run garbage collection this often (e.g. 24h); off unless given.")
    var gcInterval: String?

    @Option(help: "The grace window of scheduled garbage collection.")
    var gcGrace = "1h"

    @Flag(help: "Let scheduled garbage collection delete untagged manifests.")
    var gcDeleteUntagged = false

    func run() async throws {
        guard let (host, port) = Self.split(address) else {
            throw ValidationError("invalid address \"\(address)\": use HOST:PORT, e.g. 127.0.0.1:5000")
        }
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("invalid log level \"\(logLevel)\"")
        }
        var logger = Logger(label: "wharf")
        logger.logLevel = level
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        var services: [any Service] = []
        if let gcInterval {
            guard let interval = DurationArgument.parse(gcInterval), interval > .zero else {
                throw ValidationError("invalid --gc-interval \"\(gcInterval)\"")
            }
            guard let grace = DurationArgument.parse(gcGrace) else {
                throw ValidationError("invalid --gc-grace \"\(gcGrace)\"")
            }
            services.append(
                ScheduledGarbageCollection(
                    store: store, interval: interval,
                    options: GarbageCollectionOptions(deleteUntagged: gcDeleteUntagged, grace: grace),
                    logger: logger))
        }
        let app = Application(
            responder: RegistryResponder<BasicRequestContext>(store: store),
            configuration: .init(address: .hostname(host, port: port), serverName: "wharf"),
            services: services,
            logger: logger)
        logger.info("serving storage root", metadata: ["root": "\(root)"])
        try await app.runService()
    }

    /// Splits `HOST:PORT` (IPv6 hosts in brackets).
    static func split(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]),
            (0...65535).contains(port)
        else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }
}
