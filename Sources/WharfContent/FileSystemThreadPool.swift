import NIOPosix

/// Runs blocking file-system calls on NIO's shared blocking-I/O pool, off the cooperative
/// thread pool and every event loop.
package enum FileSystemThreadPool {
    /// Runs `body` on the pool and returns its result.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
