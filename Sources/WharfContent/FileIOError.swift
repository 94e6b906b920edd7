#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system call that failed: which call, on which path, and the system's error
/// number, so that callers decide by the number (a full disk, a missing file), never by
/// the text.
///
/// The description names the local path: right for a command-line user or a log, never
/// for a network peer. Servers map these errors to their own, path-free answers.
public struct FileIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The call that failed (`open`, `write`, `fsync`, `rename`, ...).
    public var operation: String
    /// The path the call was made on.
    public var path: String
    /// The system error number (`errno`).
    public var errorNumber: Int32

    /// Creates an error.
    public init(operation: String, path: String, errorNumber: Int32) {
        self.operation = operation
        self.path = path
        self.errorNumber = errorNumber
    }

    /// Whether the device or the user's quota is full (`ENOSPC`, `EDQUOT`): the same write
    /// may succeed once space is freed.
    public var isOutOfSpace: Bool {
        errorNumber == ENOSPC || errorNumber == EDQUOT
    }

    /// Whether nothing is at the path (`ENOENT`, or a component that is not a directory).
    public var isNotFound: Bool {
        errorNumber == ENOENT || errorNumber == ENOTDIR
    }

    /// The system's text for the error number, with the number: `No space left on device
    /// (errno 28)`. It names no path.
    public var reason: String {
        "\(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
    }

    /// `operation path: reason`.
    public var description: String {
        "\(operation) \(path): \(reason)"
    }
}
