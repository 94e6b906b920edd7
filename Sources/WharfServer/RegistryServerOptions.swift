/// How the registry API behaves beyond what storage decides.
public struct RegistryServerOptions: Sendable {
    /// Advertised as `OCI-Chunk-Min-Length` when set: the smallest chunk, except the last,
    /// a chunked upload may send.
    public var minimumChunkLength: Int?
    /// Whether `POST ...?mount=<digest>` without `from` may link any blob the storage holds
    /// (OCI 1.1 lets a registry find it itself). Off means such a mount starts an upload.
    /// With access control on, a mount without `from` never links a blob: it could hand
    /// out any blob whose digest a client knows.
    public var allowsMountWithoutSource: Bool
    /// Authentication and authorization (`WharfServerAuth` has Basic and token access
    /// control); `nil` lets everyone do everything.
    public var accessControl: (any RegistryAccessControl)?
    /// Whether clients reach the server over TLS, which decides the scheme of URLs the
    /// server derives from the request (the built-in token realm).
    public var usesTLS: Bool
    /// Checks every manifest pull must pass (a ``SignaturePolicy``, or your own), in order;
    /// the first refusal is answered with 412 `DENIED`.
    public var pullGates: [any ManifestPullGate] = []
    /// Where the registry records what it does (pushes, pulls, tag moves, deletions,
    /// refusals, authentication failures and logins) for history, retention and the
    /// audit log; `nil` records nothing. Run the recorder (`ActivityRecorder.run()`)
    /// beside the server so that its batches are written.
    public var activity: ActivityRecorder?
    /// The retention policy the management API shows and runs (`/wharf/v1/retention/…`).
    public var retention = RetentionPolicy()
    /// The grace window of retention runs started through the management API.
    public var retentionGrace: Duration = .seconds(3600)

    /// Creates options.
    public init(
        minimumChunkLength: Int? = nil, allowsMountWithoutSource: Bool = true,
        accessControl: (any RegistryAccessControl)? = nil, usesTLS: Bool = false
    ) {
        self.minimumChunkLength = minimumChunkLength
        self.allowsMountWithoutSource = allowsMountWithoutSource
        self.accessControl = accessControl
        self.usesTLS = usesTLS
    }
}
