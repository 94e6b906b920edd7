/// What a ``MetadataRebuilder`` run restored.
public struct MetadataRebuildReport: Sendable, Hashable, Codable {
    /// Repositories walked.
    public var repositories = 0
    /// Manifests found in storage.
    public var manifests = 0
    /// Manifest records created (push times taken from storage).
    public var recordsCreated = 0
    /// Records of manifests storage no longer holds, removed.
    public var recordsRemoved = 0
    /// Tag history entries reconstructed.
    public var tagChanges = 0

    /// An empty report.
    public init() {}
}
