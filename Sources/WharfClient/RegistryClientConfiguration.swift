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

    /// Creates a configuration.
    public init(
        insecure: Bool = false, tls: TLSConfiguration? = nil, maximumConcurrentTransfers: Int = 4,
        retry: RetryPolicy = RetryPolicy(), monolithicPushLimit: Int64 = 32 << 20, chunkSize: Int = 16 << 20,
        manifestSizeLimit: Int = 4 << 20, credentials: any CredentialProvider = StaticCredentials(nil)
    ) {
        self.insecure = insecure
        self.tls = tls
        self.maximumConcurrentTransfers = max(1, maximumConcurrentTransfers)
        self.retry = retry
        self.monolithicPushLimit = monolithicPushLimit
        self.chunkSize = max(1, chunkSize)
        self.manifestSizeLimit = manifestSizeLimit
        self.credentials = credentials
    }

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
