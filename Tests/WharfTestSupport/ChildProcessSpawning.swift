import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Serialises the creation of pipes and the launch of child processes across all tests.
///
/// Tests run in parallel, and a child inherits every descriptor the test process has open
/// without close-on-exec at the moment it is spawned. A pipe end inherited by the wrong
/// child keeps the pipe open, so its reader never sees end-of-file and the test hangs. So
/// pipes are created close-on-exec (their stdio copies in the intended child are made by
/// `dup2` and survive), and pipe creation and spawning never interleave.
enum ChildProcessSpawning {
    private static let lock = NSLock()

    /// Runs `body`, which creates pipes with ``pipe()`` and launches processes, alone.
    static func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        try lock.withLock(body)
    }

    /// A pipe whose two ends are closed in any child that does not take them as stdio.
    static func pipe() -> Pipe {
        let pipe = Pipe()
        for descriptor in [
            pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor,
        ] {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return pipe
    }
}
