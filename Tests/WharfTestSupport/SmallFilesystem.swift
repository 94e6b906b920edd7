public import Foundation

/// A tmpfs of a fixed size, mounted on a fresh directory for one test: a disk that can be
/// filled up on purpose. Mounting needs root (as CI runs); without it the tests that need
/// one are skipped loudly, or fail when interop is required.
public enum SmallFilesystem {
    /// Whether tests needing a small file system should run.
    public static var shouldRun: Bool {
        if ExternalTool.interopSkipped { return false }
        if getuid() == 0 || ExternalTool.interopRequired { return true }
        FileHandle.standardError.write(
            Data(
                """
                ************************************************************************
                * SKIPPED: mounting a small tmpfs needs root. The full-disk tests are
                * NOT running. Run as root, or set WHARF_REQUIRE_INTEROP=1 to fail instead.
                ************************************************************************

                """.utf8))
        return false
    }

    /// Mounts a tmpfs of `bytes` on a temporary directory, runs `body` with its path, and
    /// unmounts it afterwards.
    public static func with<T>(bytes: Int, _ body: (String) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory("wharf-tmpfs")
        let mountPoint = directory.appending("mnt")
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        _ = try await ProcessRunner.run(
            "/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", mountPoint])
        do {
            let result = try await body(mountPoint)
            _ = try await ProcessRunner.run("/bin/umount", [mountPoint])
            return result
        } catch {
            _ = try? await ProcessRunner.run("/bin/umount", ["-l", mountPoint])
            throw error
        }
    }

    /// Fills the file system holding `directory` with a file there, until no byte fits;
    /// returns the file's path (delete it to free the space).
    public static func fill(_ directory: String) throws -> String {
        let path = (directory as NSString).appendingPathComponent("filler")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let chunk = Data(count: 64 << 10)
        var piece = chunk
        while true {
            do {
                try handle.write(contentsOf: piece)
            } catch {
                if piece.count == 1 { return path }
                piece = Data(count: piece.count / 2)  // top up what a whole chunk no longer fits
            }
        }
    }
}
