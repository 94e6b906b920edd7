public import WharfContent

/// Errors of storage drivers.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(StoragePath)
    /// The path is not acceptable to a driver.
    case invalidPath(String, reason: String)
    /// A read asked for an offset past the end of the file.
    case invalidOffset(StoragePath, offset: Int64)
    /// The operation expected a file and found a directory, or the other way round.
    case wrongKind(StoragePath, reason: String)
    /// The driver does not offer the operation.
    case unsupported(String)
    /// The content at the path is larger than the caller's limit.
    case tooLarge(StoragePath, limit: Int)
    /// The writer was already committed or cancelled.
    case writerClosed(StoragePath)
    /// The storage is full (no space left on the device, or a quota of the backend's
    /// own): the same write may succeed once space is freed.
    case outOfSpace(StoragePath)
    /// Reading or writing the path failed in the backend; `reason` says how (the system's
    /// or the service's words, never a local path).
    case io(StoragePath, reason: String)
    /// The backend failed; the message says how.
    case backend(String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .notFound(let path): "storage: no such path \(path)"
        case .invalidPath(let path, let reason):
            "storage: invalid path \(UntrustedText.quoted(path)): \(reason)"
        case .invalidOffset(let path, let offset): "storage: offset \(offset) is past the end of \(path)"
        case .wrongKind(let path, let reason): "storage: \(path): \(reason)"
        case .unsupported(let operation): "storage: the driver does not support \(operation)"
        case .tooLarge(let path, let limit): "storage: \(path) is larger than \(limit) bytes"
        case .writerClosed(let path): "storage: the writer for \(path) is already closed"
        case .outOfSpace(let path): "storage: out of space writing \(path)"
        case .io(let path, let reason): "storage: I/O error on \(path): \(reason)"
        case .backend(let message): "storage: \(message)"
        }
    }
}

extension StorageError {
    /// The storage error a failed file-system call on `path` stands for: nothing there,
    /// out of space, or an I/O error with the system's reason (and no local path).
    public init(_ failure: FileIOError, at path: StoragePath) {
        if failure.isNotFound {
            self = .notFound(path)
        } else if failure.isOutOfSpace {
            self = .outOfSpace(path)
        } else {
            self = .io(path, reason: "\(failure.operation): \(failure.reason)")
        }
    }
}
