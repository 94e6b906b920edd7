/// How a copy behaves.
public struct CopyOptions: Sendable {
    /// How many blobs move at once.
    public var concurrency: Int
    /// The largest manifest or index that is read while walking the graph.
    public var manifestSizeLimit: Int
    /// Whether non-distributable ("foreign") layers are copied; registries and tools skip
    /// them by default, as they are fetched from their `urls` instead.
    public var copyNondistributableLayers: Bool
    /// Which images of an index at the root are copied: all of them (the default, as
    /// oras-go does), or one platform's image (skopeo's and crane's default for the host;
    /// oras-go's `WithTargetPlatform`).
    public var platforms: PlatformSelection
    /// Where events go; see ``CopyProgress``.
    public var progress: CopyProgress.Reporter?

    /// Creates options; the defaults move four blobs at once, like skopeo and crane, and
    /// copy every platform.
    public init(
        concurrency: Int = 4, manifestSizeLimit: Int = ContentGraph.defaultManifestSizeLimit,
        copyNondistributableLayers: Bool = false, platforms: PlatformSelection = .all,
        progress: CopyProgress.Reporter? = nil
    ) {
        self.concurrency = max(1, concurrency)
        self.manifestSizeLimit = manifestSizeLimit
        self.copyNondistributableLayers = copyNondistributableLayers
        self.platforms = platforms
        self.progress = progress
    }
}

/// The progress of a copy as an `AsyncSequence` of ``CopyEvent``s.
///
/// ```swift
/// let (events, reporter) = CopyProgress.makeStream()
/// async let summary = copyGraph(from: layout, root: "v1", to: store, options: .init(progress: reporter))
/// for await event in events { render(event) }   // ends after .done
/// ```
public enum CopyProgress {
    /// Makes an event stream and the reporter a copy sends events to. The stream finishes
    /// after the copy's ``CopyEvent/done(_:)`` event, or when the copy fails.
    public static func makeStream() -> (events: AsyncStream<CopyEvent>, reporter: Reporter) {
        let (stream, continuation) = AsyncStream<CopyEvent>.makeStream(bufferingPolicy: .unbounded)
        return (stream, Reporter(continuation: continuation))
    }

    /// Receives a copy's events.
    public struct Reporter: Sendable {
        let continuation: AsyncStream<CopyEvent>.Continuation
        var suppressDone = false

        func report(_ event: CopyEvent) {
            if case .done = event, suppressDone { return }
            continuation.yield(event)
        }

        /// Ends the event stream; a copy that fails before it starts calls this so that
        /// listeners are not left waiting.
        package func finish() {
            continuation.finish()
        }
    }
}
