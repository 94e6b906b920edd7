public import WharfContent

/// A repository's manifests as storage holds them, and the revisions it could not read.
public struct StoredInventory: Sendable, Hashable {
    /// The manifests read, in digest order.
    public var manifests: [StoredManifest] = []
    /// Revisions whose manifest is missing from the blob store or does not decode.
    public var unreadable: [OCIDigest] = []

    /// An empty inventory.
    public init() {}
}
