/// Why metadata could not be read or written.
public enum MetadataError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database failed or holds something Wharf cannot read.
    case database(String)

    /// A readable explanation, for logs (it may name the database's file).
    public var description: String {
        switch self {
        case .database(let reason): "metadata database: \(reason)"
        }
    }
}
