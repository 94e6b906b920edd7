public import AsyncHTTPClient
public import Logging
public import NIOSSL

/// Per-host policy of a ``RegistryClient``, all in one place.
public struct RegistryClientConfiguration: Sendable {
    /// Use plain HTTP. Loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`) always do;
    /// anything else only when this is set (`--insecure`).
    public var insecure: Bool
    /// TLS settings, a custom CA for instance; `nil` uses the system trust store.
    public var tls: TLSConfiguration?
    /// How many blobs move at once.
    public var maximumConcurrentTransfers: Int
    /// When failed requests are retried.
    public var retry: RetryPolicy
    /// Blobs up to this size are pushed in one request; larger ones in chunks.
    public var monolithicPushLimit: Int64
    /// The chunk size of chunked pushes (raised to the registry's `OCI-Chunk-Min-Length`).
    public var chunkSize: Int
    /// The largest manifest or index read into memory.
    public var manifestSizeLimit: Int
    /// Where credentials come from.
    public var credentials: any CredentialProvider
    /// The HTTP client requests go through. The default is one client shared by the
    /// process, which lives as long as the process and never needs shutting down. A client
    /// passed in (a proxy, other timeouts, an event loop group of the embedder's) stays the
    /// caller's to shut down; it must not follow redirects itself, since the registry client
    /// follows them by hand so that credentials never reach another origin.
    public var httpClient: HTTPClient
    /// Where the client logs requests, retries and authentication (at `debug` and `trace`);
    /// by default nowhere.
    public var logger: Logger

    /// Creates a configuration.
    public init(
        insecure: Bool = false, tls: TLSConfiguration? = nil, maximumConcurrentTransfers: Int = 4,
        retry: RetryPolicy = RetryPolicy(), monolithicPushLimit: Int64 = 32 << 20, chunkSize: Int = 16 << 20,
        manifestSizeLimit: Int = 4 << 20, credentials: any CredentialProvider = StaticCredentials(nil),
        httpClient: HTTPClient = RegistryClientConfiguration.sharedHTTPClient,
        logger: Logger = Logger(label: "wharf.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.insecure = insecure
        self.tls = tls
        self.maximumConcurrentTransfers = max(1, maximumConcurrentTransfers)
        self.retry = retry
        self.monolithicPushLimit = monolithicPushLimit
        self.chunkSize = max(1, chunkSize)
        self.manifestSizeLimit = manifestSizeLimit
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
    }

    /// The process-wide HTTP client used when a configuration names none: redirects off
    /// (the registry client follows them by hand), 30 s to connect, 120 s between reads,
    /// and failed connections reported at once so that ``RetryPolicy`` decides about them.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(120))
        configuration.connectionPool = .init(idleTimeout: .seconds(60))
        // Failed connections surface at once; RetryPolicy decides about retrying, with
        // backoff, instead of the pool retrying silently until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Whether `host` (`name[:port]`) is this machine.
    static func isLoopback(_ host: String) -> Bool {
        var name = Substring(host)
        if name.hasPrefix("[") {
            name = name.dropFirst().prefix { $0 != "]" }
        } else if let colon = name.lastIndex(of: ":") {
            name = name[..<colon]
        }
        if name == "localhost" || name == "::1" { return true }
        // 127.0.0.0/8, written as a dotted IPv4 address (not a name that starts with "127.").
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
