import Foundation
import NIOCore
import Synchronization
public import WharfContent
public import WharfImage

/// Reads an image's layers from any content store — a registry, an OCI layout, server
/// storage — into a ``LayeredFilesystem``.
public struct ImageFilesystemReader: Sendable {
    /// The bounds applied while reading.
    public var limits: ScanLimits

    /// Creates a reader.
    public init(limits: ScanLimits = ScanLimits()) {
        self.limits = limits
    }

    /// Applies the layers of `manifest`, base first, capturing the content of files for
    /// which `capture` returns a size limit.
    public func read(
        manifest: ImageManifest, configuration: ImageConfiguration?, from store: some ContentFetcher,
        findGoBinaries: Bool = false, capture: @Sendable (String) -> Int?
    ) async throws -> LayeredFilesystem {
        var filesystem = LayeredFilesystem()
        var budget = limits.totalUncompressedBytes
        let diffIDs = configuration?.rootfs.diffIDs ?? []
        for (index, layer) in manifest.layers.enumerated() {
            let raw: ByteStream
            do {
                raw = try await store.fetch(layer)
            } catch ContentError.notFound where layer.mediaType.isNondistributable {
                continue  // foreign layers are often not distributed; nothing to scan then
            }
            let stream = try await Self.decoded(raw, mediaType: layer.mediaType, limit: budget)
            let counted = CountingStream(stream)
            let origin = LayerOrigin(
                index: index, digest: layer.digest, diffID: index < diffIDs.count ? diffIDs[index] : nil)
            try await filesystem.apply(
                layer: origin, archive: TarReader(ByteStream(counted)),
                capture: { path in
                    capture(path).map { min($0, limits.metadataFileBytes) }
                }, findGoBinaries: findGoBinaries)
            budget -= counted.count
        }
        if findGoBinaries, !filesystem.pointerStyleGoBinaries.isEmpty {
            try await resolvePointerStyleGoBinaries(in: &filesystem, manifest: manifest, from: store)
        }
        return filesystem
    }

    /// Reads the layers holding pre-1.18 Go binaries a second time, copies each such binary
    /// to a temporary file (bounded disk, not memory) and reads its build information there.
    private func resolvePointerStyleGoBinaries(
        in filesystem: inout LayeredFilesystem, manifest: ImageManifest, from store: some ContentFetcher
    ) async throws {
        var byLayer: [Int: Set<String>] = [:]
        for path in filesystem.pointerStyleGoBinaries {
            if let layer = filesystem.files[path]?.layer.index { byLayer[layer, default: []].insert(path) }
        }
        for (index, paths) in byLayer.sorted(by: { $0.key < $1.key }) {
            let layer = manifest.layers[index]
            let stream = try await Self.decoded(
                try await store.fetch(layer), mediaType: layer.mediaType, limit: limits.totalUncompressedBytes
            )
            let archive = TarReader(stream)
            var remaining = paths
            while !remaining.isEmpty, let entry = try await archive.next() {
                guard let path = LayerPath.normalize(entry.path), remaining.remove(path) != nil else {
                    continue
                }
                // Copied to disk to be read: a bound on what one binary may occupy there.
                guard entry.size <= Self.pointerStyleGoBinaryLimit else {
                    filesystem.resolveGoBuildInfo(nil, for: path)
                    continue
                }
                filesystem.resolveGoBuildInfo(
                    try await Self.goBuildInfoFromTemporaryCopy(of: archive), for: path)
            }
        }
    }

    /// The largest pre-1.18 Go binary copied to a temporary file to be read (real ones are
    /// far smaller).
    static let pointerStyleGoBinaryLimit: Int64 = 1 << 30

    /// Streams the current entry's content into an unnamed temporary file (unlinked as soon
    /// as it is opened, so nothing is left behind) and reads its Go build information there
    /// with random access, all file work on the I/O pool.
    private static func goBuildInfoFromTemporaryCopy(of archive: TarReader) async throws -> GoBuildInfo? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wharf-go-\(UUID().uuidString)"
        ).path
        let descriptor = try await FileSystemThreadPool.run {
            let descriptor = try SystemCall.open(
                path, flags: O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode: 0o600)
            try? SystemCall.unlink(path)
            return descriptor
        }
        defer { SystemCall.closeDescriptor(descriptor) }
        while let chunk = try await archive.readContentChunk() {
            try await FileSystemThreadPool.run {
                try chunk.withUnsafeReadableBytes { try SystemCall.writeAll(descriptor, $0, path: path) }
            }
        }
        return try await FileSystemThreadPool.run {
            try LegacyGoBuildInfoReader { offset, count in
                var bytes = [UInt8](repeating: 0, count: count)
                var filled = 0
                while filled < count {
                    let got = try bytes.withUnsafeMutableBytes { buffer in
                        try SystemCall.pread(
                            descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]),
                            count: count - filled, at: Int64(offset) + Int64(filled), path: path)
                    }
                    if got == 0 { break }
                    filled += got
                }
                return Array(bytes.prefix(filled))
            }.buildInfo()
        }
    }

    /// The uncompressed tar of a layer: gzip inflated, plain tar as is, zstd refused.
    static func decoded(
        _ stream: ByteStream, mediaType: OCIMediaType, limit: Int64
    ) async throws -> ByteStream {
        let type = mediaType.rawValue
        if type.hasSuffix("+zstd") || type.hasSuffix(".zstd") {
            throw ScanError.unsupportedCompression("zstd (\(type))")
        }
        if type.hasSuffix("+gzip") || type.hasSuffix(".gzip") || type.hasSuffix(".tar.gzip") {
            return stream.gunzipped(limit: limit)
        }
        if type.hasSuffix(".tar") || type.hasSuffix(".tar.v1")
            || type == "application/vnd.docker.image.rootfs.diff.tar"
        {
            return stream.bounded(to: limit)
        }
        // Unknown type: trust the magic bytes, as containerd does.
        let sniffer = MagicSniffer(stream)
        switch try await sniffer.magic() {
        case .gzip: return sniffer.stream.gunzipped(limit: limit)
        case .zstd: throw ScanError.unsupportedCompression("zstd (\(type))")
        case .other: return sniffer.stream.bounded(to: limit)
        }
    }
}

/// Counts the bytes flowing through a stream.
final class CountingStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    private let base: ByteStream
    private let total = Mutex<Int64>(0)

    init(_ base: ByteStream) { self.base = base }

    /// The bytes that went through so far.
    var count: Int64 { total.withLock { $0 } }

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        let owner: CountingStream
        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            owner.total.withLock { $0 += Int64(chunk.readableBytes) }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), owner: self) }
}

extension ByteStream {
    /// The stream, failing with ``ScanError/limitExceeded(_:)`` as soon as more than `limit`
    /// bytes arrive: the budget of uncompressed layers, held to plain tar layers as the gzip
    /// reader holds it to compressed ones (a layer is never silently cut short).
    func bounded(to limit: Int64) -> ByteStream {
        ByteStream(BoundedByteSequence(base: self, limit: limit))
    }
}

/// The sequence behind ``ByteStream/bounded(to:)``.
struct BoundedByteSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: ByteStream
    let limit: Int64

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: ByteStream.Iterator
        let limit: Int64
        var seen: Int64 = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += Int64(chunk.readableBytes)
            guard seen <= limit else {
                throw ScanError.limitExceeded(
                    "the image's layers inflate to more than \(Swift.max(limit, 0)) bytes")
            }
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
