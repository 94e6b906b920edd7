public import Foundation

/// A fresh directory under the system's temporary directory, removed when the test ends.
public struct TemporaryDirectory: ~Copyable {
    /// The directory's path.
    public let path: String

    /// Creates a uniquely named directory.
    public init(_ label: String = "wharf-test") throws {
        let name = "\(label)-\(UUID().uuidString.prefix(8))"
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func appending(_ component: String) -> String {
        (path as NSString).appendingPathComponent(component)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a temporary directory that is removed afterwards.
public func withTemporaryDirectory<T>(
    _ label: String = "wharf-test", _ body: (borrowing TemporaryDirectory) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory(label)
    return try await body(directory)
}
