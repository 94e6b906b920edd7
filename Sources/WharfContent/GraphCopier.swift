import NIOCore

/// Copies the graph below a root descriptor from one store to another.
///
/// The walk goes depth first: a node's children are stored before the node itself, so a
/// target never holds a manifest whose blobs it lacks, and a registry that validates
/// manifests on push accepts them. A node the target already has is skipped together with
/// everything below it. Blobs shared by several manifests move once. At most
/// ``CopyOptions/concurrency`` transfers run at once; waiting for children holds no permit,
/// so deep graphs cannot starve the pool.
actor GraphCopier {
    private let source: any ContentFetcher
    private let target: any ContentStorage
    private let options: CopyOptions
    private let limiter: AsyncSemaphore
    private var nodes: [OCIDigest: Task<Void, any Error>] = [:]
    private var summary: CopySummary
    /// Where and under which reference the root goes, when the target can push by reference.
    private let rootPush: (pusher: any ReferencePusher, reference: String)?
    /// Whether the root was stored under the root reference (not skipped, not pushed by digest).
    private(set) var pushedRootByReference = false

    init(
        source: any ContentFetcher, target: any ContentStorage, root: Descriptor, options: CopyOptions,
        rootReference: String? = nil
    ) {
        self.source = source
        self.target = target
        self.options = options
        self.limiter = AsyncSemaphore(permits: options.concurrency)
        self.summary = CopySummary(root: root)
        self.rootPush = rootReference.flatMap { reference in
            (target as? any ReferencePusher).map { ($0, reference) }
        }
    }

    /// Copies `root` and everything below it, then reports ``CopyEvent/done(_:)``.
    func run() async throws -> CopySummary {
        try await withTaskCancellationHandler {
            try await copyNode(summary.root)
        } onCancel: {
            Task { await self.cancelAll() }
        }
        options.progress?.report(.done(summary))
        return summary
    }

    private func cancelAll() {
        for task in nodes.values { task.cancel() }
    }

    /// Copies a node once, however many parents point at it.
    private func copyNode(_ descriptor: Descriptor) async throws {
        if let existing = nodes[descriptor.digest] {
            return try await existing.value
        }
        let task = Task { try await self.copyNodeOnce(descriptor) }
        nodes[descriptor.digest] = task
        try await task.value
    }

    private func copyNodeOnce(_ descriptor: Descriptor) async throws {
        try Task.checkCancellation()
        if descriptor.mediaType.isNondistributable && !options.copyNondistributableLayers {
            return record(skipped: descriptor)
        }
        if try await target.exists(descriptor) {
            return record(skipped: descriptor)
        }
        if descriptor.mediaType.isManifest {
            try await copyManifest(descriptor)
        } else {
            try await copyBlob(descriptor)
        }
    }

    private func copyManifest(_ descriptor: Descriptor) async throws {
        let (source, limit) = (self.source, options.manifestSizeLimit)
        guard descriptor.size <= Int64(limit) else { throw ContentError.tooLarge(limit: Int64(limit)) }
        let content = try await limiter.withPermit {
            try await ByteStream(
                source.fetch(descriptor).verified(digest: descriptor.digest, size: descriptor.size)
            )
            .collect(upTo: limit)
        }
        let children = try ContentGraph.edges(of: descriptor, content: content).children
        try await withThrowingTaskGroup(of: Void.self) { group in
            for child in children {
                group.addTask { try await self.copyNode(child) }
            }
            try await group.waitForAll()
        }
        if descriptor.digest == summary.root.digest, let (pusher, reference) = rootPush {
            // One request stores and tags the root, as other registry clients do.
            try await transfer(descriptor, content: { _ in ByteStream(content) }) { descriptor, bytes in
                try await pusher.push(descriptor, content: bytes, reference: reference)
            }
            pushedRootByReference = true
            return
        }
        try await transfer(descriptor) { _ in ByteStream(content) }
    }

    private func copyBlob(_ descriptor: Descriptor) async throws {
        if let mounter = target as? any ContentMounter, let origin = try await mounter.mount(descriptor) {
            summary.mounted += 1
            options.progress?.report(.mounted(descriptor, from: origin))
            return
        }
        let source = self.source
        try await transfer(descriptor) { _ in try await source.fetch(descriptor) }
    }

    /// Moves one descriptor's bytes under a permit, reporting progress as they flow.
    private func transfer(
        _ descriptor: Descriptor, content: @escaping @Sendable (Descriptor) async throws -> ByteStream,
        store: (@Sendable (Descriptor, ByteStream) async throws -> Void)? = nil
    ) async throws {
        let (target, progress) = (self.target, options.progress)
        try await limiter.withPermit {
            progress?.report(.started(descriptor))
            let bytes = try await content(descriptor)
            let observed = ObservedByteStream(bytes) { total in
                progress?.report(.transferred(descriptor, bytes: total))
            }
            if let store {
                try await store(descriptor, ByteStream(observed))
            } else {
                try await target.push(descriptor, content: ByteStream(observed))
            }
            progress?.report(.completed(descriptor))
        }
        summary.transferred += 1
        summary.bytes += descriptor.size
    }

    private func record(skipped descriptor: Descriptor) {
        summary.skipped += 1
        options.progress?.report(.skipped(descriptor))
    }
}
