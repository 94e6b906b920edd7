import ArgumentParser
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import WharfServer
import WharfServerAuth
import WharfStorage

/// `wharf serve`: the registry server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run an OCI distribution-spec v1.1 registry.",
        discussion: """
            Storage is a directory in CNCF Distribution's layout: the same directory can be \
            served by Distribution's registry (storage.filesystem.rootdirectory) or collected \
            with `wharf gc` while this server runs. Settings come from --config (YAML) and \
            flags; a flag wins over the file.
            """)

    @Option(
        help:
            "A YAML configuration file (address, root, log, tls, limits, auth, gc, storage, policies, immutableTags, metadata)."
    )
    var config: String?

    @Option(help: "The address to listen on, HOST:PORT (port 0 picks a free port). Default 127.0.0.1:5000.")
    var address: String?

    @Option(help: "The storage root directory. Default ./wharf-data.")
    var root: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical. Default info.")
    var logLevel: String?

    @Option(help: "Serve HTTPS with this PEM certificate (chain); needs --tls-key.")
    var tlsCertificate: String?

    @Option(help: "The PEM private key of --tls-certificate.")
    var tlsKey: String?

    @Option(help: "Require HTTP Basic authentication with users from this htpasswd file (bcrypt).")
    var htpasswd: String?

    @Option(help: "Run garbage collection this often (e.g. 24h); off unless given.")
    var gcInterval: String?

    @Option(help: "The grace window of scheduled garbage collection. Default 1h.")
    var gcGrace: String?

    @Flag(help: "Let scheduled garbage collection delete untagged manifests.")
    var gcDeleteUntagged = false

    func run() async throws {
        let file = try config.map { try ServeConfiguration.load(path: $0) } ?? ServeConfiguration()
        let address = self.address ?? file.address ?? "127.0.0.1:5000"
        let root = self.root ?? file.root ?? "./wharf-data"
        guard let (host, port) = Self.split(address) else {
            throw ValidationError("invalid address \"\(address)\": use HOST:PORT, e.g. 127.0.0.1:5000")
        }
        let levelName = logLevel ?? file.log?.level ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else {
            throw ValidationError("invalid log level \"\(levelName)\"")
        }
        var logger = Logger(label: "wharf")
        logger.logLevel = level

        var auth = file.auth
        if let htpasswd {
            auth = auth ?? ServeConfiguration.Auth()
            auth?.htpasswd = htpasswd
        }
        let accessControl = try await AccessControlLoader.load(auth)
        let tls = try tlsConfiguration(file.tls)

        var storeOptions = RegistryStoreOptions(logger: logger)
        if let limit = file.limits?.manifestSize {
            guard limit > 0 else { throw ValidationError("limits.manifestSize must be positive") }
            storeOptions.manifestSizeLimit = limit
        }
        storeOptions.immutableTags = TagImmutability(rules: file.immutableTags?.map(\.rule) ?? [])
        let driver = try FileSystemDriver(rootDirectory: root, directIO: file.storage?.directIO ?? true)
        let store = RegistryStore(driver: driver, options: storeOptions)
        var options = RegistryServerOptions(
            minimumChunkLength: file.limits?.chunkMinLength, accessControl: accessControl, usesTLS: tls != nil
        )
        options.pullGates = try PolicyLoader.pullGates(file.policies)

        var services: [any Service] = []
        if file.metadata?.enabled ?? true {
            let auditRetention = try file.metadata?.auditRetention.map { text in
                guard let duration = DurationArgument.parse(text), duration > .zero else {
                    throw ValidationError("invalid metadata.auditRetention \"\(text)\"")
                }
                return duration
            }
            let path = file.metadata?.path ?? MetadataLoader.defaultPath(root: root)
            if let (metadata, isNew) = MetadataLoader.open(path: path, logger: logger) {
                MetadataLoader.rebuildIfNeeded(metadata, isNew: isNew, store: store, logger: logger)
                let recorder = ActivityRecorder(store: metadata, logger: logger)
                options.activity = recorder
                services.append(
                    ActivityRecordingService(
                        recorder: recorder, auditRetention: auditRetention, logger: logger))
            }
        }
        let retentionPolicy = try RetentionLoader.policy(file.retention)
        options.retention = retentionPolicy
        options.retentionGrace = try RetentionLoader.grace(file)
        if let schedule = file.retention?.schedule {
            guard let interval = DurationArgument.parse(schedule), interval > .zero else {
                throw ValidationError("invalid retention.schedule \"\(schedule)\"")
            }
            let runner = RetentionRunner(
                store: store, policy: retentionPolicy, activity: options.activity, logger: logger)
            services.append(
                ScheduledRetention(
                    runner: runner, interval: interval,
                    options: RetentionOptions(grace: try RetentionLoader.grace(file)), logger: logger))
        }
        let purging = file.storage?.uploadPurging
        if purging?.enabled ?? true {
            func duration(_ text: String?, _ fallback: String, _ key: String) throws -> Duration {
                let text = text ?? fallback
                guard let value = DurationArgument.parse(text), value > .zero else {
                    throw ValidationError("invalid storage.uploadPurging.\(key) \"\(text)\"")
                }
                return value
            }
            services.append(
                ScheduledUploadPurging(
                    store: store, age: try duration(purging?.age, "168h", "age"),
                    interval: try duration(purging?.interval, "24h", "interval"), logger: logger))
        }
        if let interval = gcInterval ?? file.gc?.interval {
            services.append(
                try scheduledCollection(store: store, interval: interval, file: file.gc, logger: logger))
        }
        let responder = RegistryResponder<RegistryRequestContext>(store: store, options: options)
        let configuration = ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: "wharf")
        let app: Application<RegistryResponder<RegistryRequestContext>>
        if let tls {
            app = Application(
                responder: responder, server: try .tls(.http1(), tlsConfiguration: tls),
                configuration: configuration,
                services: services, logger: logger)
        } else {
            app = Application(
                responder: responder, configuration: configuration, services: services, logger: logger)
        }
        logger.info(
            "serving storage root",
            metadata: [
                "root": "\(root)", "tls": "\(tls != nil)",
                "auth": "\(accessControl.map(Self.describe) ?? "none")",
                "policies": "\(file.policies?.count ?? 0)",
                "immutableTagRules": "\(file.immutableTags?.count ?? 0)",
                "metadata": "\(options.activity != nil ? "on" : "off")",
            ])
        try await app.runService()
    }

    private func tlsConfiguration(_ file: ServeConfiguration.TLS?) throws -> TLSConfiguration? {
        let certificate = tlsCertificate ?? file?.certificate
        let key = tlsKey ?? file?.key
        guard certificate != nil || key != nil else { return nil }
        guard let certificate, let key else {
            throw ValidationError("TLS needs both a certificate and a key")
        }
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: .privateKey(privateKey))
        } catch {
            throw ValidationError("cannot load TLS certificate \(certificate) and key \(key): \(error)")
        }
    }

    private func scheduledCollection(
        store: RegistryStore, interval text: String, file: ServeConfiguration.GarbageCollection?,
        logger: Logger
    ) throws -> ScheduledGarbageCollection {
        guard let interval = DurationArgument.parse(text), interval > .zero else {
            throw ValidationError("invalid garbage collection interval \"\(text)\"")
        }
        let graceText = gcGrace ?? file?.grace ?? "1h"
        guard let grace = DurationArgument.parse(graceText) else {
            throw ValidationError("invalid garbage collection grace \"\(graceText)\"")
        }
        return ScheduledGarbageCollection(
            store: store, interval: interval,
            options: GarbageCollectionOptions(
                deleteUntagged: gcDeleteUntagged || (file?.deleteUntagged ?? false), grace: grace),
            logger: logger)
    }

    private static func describe(_ accessControl: any RegistryAccessControl) -> String {
        switch accessControl {
        case is BasicAccessControl: "basic"
        case let token as TokenAccessControl:
            token.authentication.issuer == nil ? "token (external service)" : "token (built-in service)"
        default: "custom"
        }
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
