/// Reads content by descriptor.
///
/// The returned stream yields the content's bytes; a fetcher that cannot vouch for them
/// (a remote registry, a file someone could have edited) wraps them in a
/// ``VerifiedByteStream`` so that a mismatch fails the read instead of passing on.
public protocol ContentFetcher: Sendable {
    /// Streams the bytes of `descriptor`; throws ``ContentError/notFound(_:location:)`` when absent.
    func fetch(_ descriptor: Descriptor) async throws -> ByteStream
}

/// Stores content by descriptor.
public protocol ContentPusher: Sendable {
    /// Stores the bytes of `descriptor`.
    ///
    /// The store verifies size and digest while the bytes stream in and makes the content
    /// visible only when both match; a mismatch throws and leaves nothing behind. Pushing
    /// content the store already holds succeeds without changing anything.
    func push(_ descriptor: Descriptor, content: ByteStream) async throws
}

/// Content storage that can be read and asked what it holds.
public protocol ReadOnlyContentStorage: ContentFetcher {
    /// Whether the store holds the content `descriptor` addresses.
    func exists(_ descriptor: Descriptor) async throws -> Bool
}

/// Content storage that can be read and written.
public protocol ContentStorage: ReadOnlyContentStorage, ContentPusher {}

/// Resolves references (tags or digests) to descriptors.
public protocol ReferenceResolver: Sendable {
    /// The descriptor that `reference` names; throws ``ContentError/referenceNotFound(_:location:)``.
    func resolve(_ reference: String) async throws -> Descriptor
}

/// Points references at descriptors.
public protocol ReferenceTagger: Sendable {
    /// Makes `reference` name `descriptor`, which the store must already hold.
    func tag(_ descriptor: Descriptor, as reference: String) async throws
}

/// An optional capability: storing a manifest and naming it by a reference in one step, as
/// a registry's `PUT /v2/<name>/manifests/<tag>` does. A copy uses it for the root it is
/// asked to tag, instead of a push by digest followed by ``ReferenceTagger/tag(_:as:)``.
public protocol ReferencePusher: Sendable {
    /// Stores the manifest `descriptor` (its exact bytes, verified) under `reference`.
    func push(_ descriptor: Descriptor, content: ByteStream, reference: String) async throws
}

/// A store that can be read and resolves references: the source side of a copy.
public typealias ReadOnlyContentTarget = ReadOnlyContentStorage & ReferenceResolver

/// A store that can be read, written, and tagged: the destination side of a copy.
public typealias ContentTarget = ContentStorage & ReferenceResolver & ReferenceTagger

/// An optional capability: deleting content.
public protocol ContentDeleter: Sendable {
    /// Removes the content `descriptor` addresses (and any references naming it).
    func delete(_ descriptor: Descriptor) async throws
}

/// An optional capability: listing the manifests whose `subject` is a given manifest.
public protocol ReferrerLister: Sendable {
    /// The descriptors of manifests that refer to `subject`, optionally only those of one
    /// `artifactType`.
    func referrers(of subject: Descriptor, artifactType: OCIMediaType?) async throws -> [Descriptor]
}

/// An optional capability: listing the references (tags) a store knows.
public protocol TagLister: Sendable {
    /// All tags, sorted.
    func tags() async throws -> [String]
}

/// An optional capability: linking a blob from where the store can find it without
/// receiving its bytes (a registry's cross-repository mount).
public protocol ContentMounter: Sendable {
    /// Makes `descriptor` present without a transfer if possible; returns where it came
    /// from, or `nil` when the bytes must be pushed.
    func mount(_ descriptor: Descriptor) async throws -> String?
}
