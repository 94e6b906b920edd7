import Foundation
import NIOCore
import Synchronization
public import WharfContent

/// A content store on a directory in OCI image layout: `oci-layout`, `index.json`, and
/// `blobs/<algorithm>/<encoded>`.
///
/// Tags are the `org.opencontainers.image.ref.name` annotations of `index.json`'s entries,
/// as skopeo, umoci and oras write them. Blobs are written to `ingest/` first and renamed
/// into place only after their digest and size were verified, and reads verify them again,
/// so neither a crash nor a file edited behind the store's back can make it hand out wrong
/// bytes. Blob reads and writes run concurrently; changes to `index.json` are serialised —
/// within the process by a semaphore, across processes by an `flock` on the layout
/// directory — re-read before each change and replaced atomically.
public actor OCILayoutStore: ContentTarget, ContentDeleter, ReferrerLister, TagLister {
    /// The layout's directory.
    public nonisolated let root: String
    /// How errors name the layout: `oci:<root>`, as skopeo writes it.
    nonisolated var location: String { "oci:\(root)" }
    /// Serialises read-modify-write cycles of `index.json` in this process: actor methods
    /// interleave at every `await`, so the actor alone would let two tags overwrite each
    /// other. Shared by every store on the same directory, so that at most one thread of
    /// the process ever waits on the directory's `flock` (the I/O pool has few threads).
    private let indexLock: AsyncSemaphore

    private static let indexLocks = Mutex<[String: AsyncSemaphore]>([:])

    private static func indexLock(for root: String) -> AsyncSemaphore {
        let key = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        return indexLocks.withLock { locks in
            if let lock = locks[key] { return lock }
            let lock = AsyncSemaphore(permits: 1)
            locks[key] = lock
            return lock
        }
    }

    /// The `imageLayoutVersion` this store writes and reads.
    public static let layoutVersion = "1.0.0"
    /// The largest `index.json` the store reads.
    public static let indexSizeLimit = 64 << 20

    /// Opens the layout at `root`, creating `oci-layout` and an empty `index.json` when
    /// `create` is true and they are missing.
    public init(root: String, create: Bool = true) async throws {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.indexLock = Self.indexLock(for: self.root)
        let layoutFile = "\(self.root)/oci-layout"
        if let bytes = try await Self.readSmallFile(layoutFile, limit: 64 << 10) {
            let header: LayoutHeader
            do {
                header = try JSONDecoder().decode(LayoutHeader.self, from: bytes)
            } catch {
                throw LayoutError.invalidLayout(root: root, reason: "oci-layout is not valid JSON")
            }
            guard header.imageLayoutVersion.hasPrefix("1.") else {
                throw LayoutError.invalidLayout(
                    root: root, reason: "unsupported imageLayoutVersion \(header.imageLayoutVersion)")
            }
        } else if create {
            try await Self.writeFile(
                Data("{\"imageLayoutVersion\":\"\(Self.layoutVersion)\"}".utf8), to: layoutFile,
                root: self.root)
        } else {
            throw LayoutError.invalidLayout(root: root, reason: "no oci-layout file")
        }
        if try await Self.readSmallFile(indexPath, limit: Self.indexSizeLimit) == nil {
            guard create else { throw LayoutError.invalidLayout(root: root, reason: "no index.json") }
            try await Self.writeFile(try ImageIndex(manifests: []).encoded(), to: indexPath, root: self.root)
        }
    }

    private nonisolated var indexPath: String { "\(root)/index.json" }

    /// The path of a blob's file.
    public nonisolated func blobPath(_ digest: OCIDigest) -> String {
        "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.encoded)"
    }

    /// Streams a blob, verifying its size and digest as it is read.
    public nonisolated func fetch(_ descriptor: Descriptor) async throws -> ByteStream {
        let path = blobPath(descriptor.digest)
        guard let size = try await Self.fileSize(path) else {
            throw ContentError.notFound(descriptor.digest, location: location)
        }
        guard size == descriptor.size else {
            throw ContentError.sizeMismatch(expected: descriptor.size, actual: size)
        }
        return ByteStream(
            FileByteStream(path: path).verified(digest: descriptor.digest, size: descriptor.size))
    }

    /// Whether a blob of the descriptor's digest and size is present.
    public nonisolated func exists(_ descriptor: Descriptor) async throws -> Bool {
        try await Self.fileSize(blobPath(descriptor.digest)) == descriptor.size
    }

    /// Stores a blob, visible only once its size and digest are verified. A manifest with a
    /// `subject` is also listed, untagged, in `index.json`, as oras-go's layout store lists
    /// it: nothing else would lead a reader of the layout to it.
    public nonisolated func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        guard descriptor.size >= 0 else { throw ContentError.invalidDescriptor("negative size") }
        if try await exists(descriptor) { return }
        try await AtomicFileWriter.write(
            content.verified(digest: descriptor.digest, size: descriptor.size),
            to: blobPath(descriptor.digest),
            temporaryDirectory: "\(root)/ingest")
        guard descriptor.mediaType.isManifest,
            descriptor.size <= Int64(ContentGraph.defaultManifestSizeLimit),
            let bytes = try await Self.readSmallFile(
                blobPath(descriptor.digest), limit: ContentGraph.defaultManifestSizeLimit),
            let (_, referrer) = ContentGraph.referrer(descriptor, content: ByteBuffer(bytes: bytes))
        else {
            return
        }
        try await updateIndex { index in
            if !index.manifests.contains(where: { $0.digest == referrer.digest }) {
                index.manifests.append(referrer)
            }
        }
    }

    /// The manifests listed in `index.json` whose `subject` is `subject`, optionally only
    /// those of one artifact type, sorted by digest.
    public func referrers(of subject: Descriptor, artifactType: OCIMediaType?) async throws -> [Descriptor] {
        var found: [OCIDigest: Descriptor] = [:]
        for entry in try await readIndex().manifests
        where entry.mediaType.isManifest && entry.size <= Int64(ContentGraph.defaultManifestSizeLimit) {
            guard
                let bytes = try await Self.readSmallFile(
                    blobPath(entry.digest), limit: ContentGraph.defaultManifestSizeLimit),
                DigestHasher.digest(of: Array(bytes)) == entry.digest,
                let (of, referrer) = ContentGraph.referrer(entry, content: ByteBuffer(bytes: bytes)),
                of == subject.digest, artifactType == nil || referrer.artifactType == artifactType
            else { continue }
            found[referrer.digest] = referrer
        }
        return found.values.sorted { $0.digest < $1.digest }
    }

    /// The descriptor a tag names in `index.json`, or, for a digest, the manifest listed
    /// there or any stored blob (whose media type is read from the blob itself).
    public func resolve(_ reference: String) async throws -> Descriptor {
        let index = try await readIndex()
        if let tagged = index.manifests.last(where: {
            $0.annotations?[Descriptor.refNameAnnotation] == reference
        }) {
            return tagged
        }
        guard let digest = try? OCIDigest(parsing: reference) else {
            throw ContentError.referenceNotFound(reference, location: location)
        }
        if let listed = index.manifests.first(where: { $0.digest == digest }) {
            return listed
        }
        let path = blobPath(digest)
        guard let size = try await Self.fileSize(path) else {
            throw ContentError.referenceNotFound(reference, location: location)
        }
        var mediaType = OCIMediaType(rawValue: "application/octet-stream")
        if size <= Int64(ContentGraph.defaultManifestSizeLimit),
            let bytes = try await Self.readSmallFile(path, limit: ContentGraph.defaultManifestSizeLimit),
            let detected = try? ManifestDocument.mediaType(of: bytes, declared: nil)
        {
            mediaType = detected
        }
        return Descriptor(mediaType: mediaType, digest: digest, size: size)
    }

    /// Names `descriptor` with `reference` in `index.json`, replacing what the name named.
    public func tag(_ descriptor: Descriptor, as reference: String) async throws {
        try Self.validateRefName(reference)
        guard try await exists(descriptor) else {
            throw ContentError.notFound(descriptor.digest, location: location)
        }
        var entry = descriptor
        entry.data = nil
        entry.annotations = (descriptor.annotations ?? [:]).merging([Descriptor.refNameAnnotation: reference])
        { $1 }
        try await updateIndex { [entry] index in
            index.manifests.removeAll { $0.annotations?[Descriptor.refNameAnnotation] == reference }
            index.manifests.append(entry)
        }
    }

    /// Every tag of the layout, sorted.
    public func tags() async throws -> [String] {
        try await readIndex().manifests.compactMap { $0.annotations?[Descriptor.refNameAnnotation] }.sorted()
    }

    /// The layout's `index.json`.
    public func index() async throws -> ImageIndex {
        try await readIndex()
    }

    /// Removes a blob and every `index.json` entry that names it.
    public func delete(_ descriptor: Descriptor) async throws {
        try await updateIndex { index in
            index.manifests.removeAll { $0.digest == descriptor.digest }
        }
        let path = blobPath(descriptor.digest)
        guard try await Self.fileSize(path) != nil else {
            throw ContentError.notFound(descriptor.digest, location: location)
        }
        try await FileSystemThreadPool.run { try SystemCall.unlink(path) }
    }

    private func readIndex() async throws -> ImageIndex {
        guard let bytes = try await Self.readSmallFile(indexPath, limit: Self.indexSizeLimit) else {
            throw LayoutError.invalidLayout(root: root, reason: "index.json is missing")
        }
        do {
            return try ImageIndex.decode(bytes, expected: nil)
        } catch {
            throw LayoutError.invalidLayout(root: root, reason: "index.json: \(error)")
        }
    }

    /// Reads `index.json`, applies `change`, and writes it back atomically, one change at
    /// a time; a change that leaves the index as it was writes nothing.
    private func updateIndex(_ change: @escaping @Sendable (inout ImageIndex) -> Void) async throws {
        try await indexLock.withPermit {
            // Other processes (two `wharf pull`s into one layout) edit the same file.
            let root = self.root
            let lock = try await FileSystemThreadPool.run { try SystemCall.lockExclusively(root) }
            defer { SystemCall.closeDescriptor(lock) }
            let original = try await self.readIndex()
            var index = original
            change(&index)
            guard index != original else { return }
            try await Self.writeFile(try index.encoded(), to: self.indexPath, root: self.root)
        }
    }

    /// Validates a `ref.name` by the image-spec grammar:
    /// `component ("/" component)*`, `component ::= alphanum (separator alphanum)*`,
    /// `alphanum ::= [A-Za-z0-9]+`, `separator ::= [-._:@+] | "--"`.
    static func validateRefName(_ name: String) throws {
        let fault = LayoutError.invalidReference(name)
        guard !name.isEmpty, name.utf8.count <= 512 else { throw fault }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            let bytes = Array(component.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last)
            else {
                throw fault
            }
            var index = 0
            while index < bytes.count {
                if isAlphanumeric(bytes[index]) {
                    index += 1
                    continue
                }
                var end = index
                while end < bytes.count, !isAlphanumeric(bytes[end]) { end += 1 }
                let run = bytes[index..<end]
                let valid =
                    (run.count == 1 && Array("-._:@+".utf8).contains(run[run.startIndex]))
                    || Array(run) == Array("--".utf8)
                guard valid else { throw fault }
                index = end
            }
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func fileSize(_ path: String) async throws -> Int64? {
        try await FileSystemThreadPool.run { try SystemCall.fileSize(path) }
    }

    private static func readSmallFile(_ path: String, limit: Int) async throws -> Data? {
        guard try await fileSize(path) != nil else { return nil }
        let buffer = try await ByteStream(FileByteStream(path: path)).collect(upTo: limit)
        return Data(buffer.readableBytesView)
    }

    private static func writeFile(_ bytes: Data, to path: String, root: String) async throws {
        try await AtomicFileWriter.write(
            ByteStream(ByteBuffer(bytes: bytes)), to: path, temporaryDirectory: "\(root)/ingest")
    }

    private struct LayoutHeader: Decodable {
        var imageLayoutVersion: String
    }
}
