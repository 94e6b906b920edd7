import NIOCore

/// A content store in memory: for tests, small tools and embedding.
///
/// It verifies every push, resolves tags and digests, lists tags, deletes, and tracks the
/// referrers of manifests pushed into it.
public actor MemoryStore: ContentTarget, ContentDeleter, ReferrerLister, TagLister {
    private var contents: [OCIDigest: (descriptor: Descriptor, bytes: ByteBuffer)] = [:]
    private var tagged: [String: Descriptor] = [:]
    private var referrersBySubject: [OCIDigest: [OCIDigest: Descriptor]] = [:]

    /// Creates an empty store.
    public init() {}

    /// Streams the stored bytes; throws ``ContentError/notFound(_:location:)`` when absent.
    public func fetch(_ descriptor: Descriptor) throws -> ByteStream {
        guard let entry = contents[descriptor.digest] else { throw ContentError.notFound(descriptor.digest) }
        return ByteStream(entry.bytes)
    }

    /// Whether content with the descriptor's digest is stored.
    public func exists(_ descriptor: Descriptor) -> Bool {
        contents[descriptor.digest] != nil
    }

    /// Stores the bytes once they verify against the descriptor; a repeat push is a no-op.
    public func push(_ descriptor: Descriptor, content: ByteStream) async throws {
        guard descriptor.size >= 0 else { throw ContentError.invalidDescriptor("negative size") }
        var bytes = ByteBuffer()
        for try await var chunk in content.verified(digest: descriptor.digest, size: descriptor.size) {
            bytes.writeBuffer(&chunk)
        }
        guard contents[descriptor.digest] == nil else { return }
        contents[descriptor.digest] = (descriptor, bytes)
        if let (subject, referrer) = ContentGraph.referrer(descriptor, content: bytes) {
            referrersBySubject[subject, default: [:]][descriptor.digest] = referrer
        }
    }

    /// The descriptor a tag names, or the stored content a digest string addresses.
    public func resolve(_ reference: String) throws -> Descriptor {
        if let descriptor = tagged[reference] { return descriptor }
        if let digest = try? OCIDigest(parsing: reference), let entry = contents[digest] {
            return entry.descriptor
        }
        throw ContentError.referenceNotFound(reference)
    }

    /// Points `reference` at stored content.
    public func tag(_ descriptor: Descriptor, as reference: String) throws {
        guard contents[descriptor.digest] != nil else { throw ContentError.notFound(descriptor.digest) }
        tagged[reference] = descriptor
    }

    /// Removes content, the tags naming it and its referrer entry.
    public func delete(_ descriptor: Descriptor) throws {
        guard contents.removeValue(forKey: descriptor.digest) != nil else {
            throw ContentError.notFound(descriptor.digest)
        }
        tagged = tagged.filter { $0.value.digest != descriptor.digest }
        for subject in referrersBySubject.keys {
            referrersBySubject[subject]?[descriptor.digest] = nil
        }
    }

    /// The manifests pushed with `subject` as their subject, sorted by digest.
    public func referrers(of subject: Descriptor, artifactType: OCIMediaType?) -> [Descriptor] {
        let all = referrersBySubject[subject.digest].map { Array($0.values) } ?? []
        return all.filter { artifactType == nil || $0.artifactType == artifactType }.sorted {
            $0.digest < $1.digest
        }
    }

    /// All tags, sorted.
    public func tags() -> [String] {
        tagged.keys.sorted()
    }
}
