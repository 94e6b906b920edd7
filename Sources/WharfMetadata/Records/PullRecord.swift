public import Foundation
public import WharfContent

/// One manifest pull. The registry batches them (``ActivityRecorder``) rather than writing per
/// request.
public struct PullRecord: Sendable, Hashable {
    /// The repository pulled from.
    public var repository: String
    /// The manifest pulled.
    public var digest: OCIDigest
    /// When.
    public var at: Date

    /// Creates a record.
    public init(repository: String, digest: OCIDigest, at: Date) {
        self.repository = repository
        self.digest = digest
        self.at = at
    }
}
