#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, throwing wrappers over the POSIX calls that file-backed stores need; each retries
/// on `EINTR` and turns a failure into a ``ContentError/io(_:)`` with the call, the path
/// and `errno`.
///
/// These block the calling thread: callers run them on `NIOThreadPool`.
package enum SystemCall {
    /// Opens `path` (a directory) and waits for an exclusive `flock` on it: a lock other
    /// processes see, on an inode that atomic file replacements inside it do not change.
    /// Close the returned descriptor to release it.
    package static func lockExclusively(_ path: String) throws -> Int32 {
        let descriptor = try open(path, flags: O_RDONLY | O_CLOEXEC)
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = error("flock", path)
            closeDescriptor(descriptor)
            throw failure
        }
        return descriptor
    }

    package static func open(_ path: String, flags: Int32, mode: UInt32 = 0o644) throws -> Int32 {
        while true {
            let descriptor = systemOpen(path, flags, mode_t(mode))
            if descriptor >= 0 { return descriptor }
            if errno == EINTR { continue }
            throw error("open", path)
        }
    }

    package static func pread(
        _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int, at offset: Int64,
        path: String
    ) throws -> Int {
        while true {
            let got = systemPread(descriptor, buffer.baseAddress, min(count, buffer.count), off_t(offset))
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw error("read", path)
        }
    }

    package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < bytes.count {
            let result = systemWrite(
                descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
            if result >= 0 {
                written += result
            } else if errno != EINTR {
                throw error("write", path)
            }
        }
    }

    /// One `pwrite(2)` of `bytes` at `offset` (repeated only when interrupted): the number
    /// of bytes written, which may be fewer than asked, or `nil` when the call failed and
    /// wrote nothing. For callers that fall back to another way of writing and so must
    /// know exactly how much of the file this call changed.
    package static func writeOnce(
        _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64
    ) -> Int? {
        while true {
            let result = systemPwrite(descriptor, bytes.baseAddress, bytes.count, off_t(offset))
            if result >= 0 { return result }
            if errno != EINTR { return nil }
        }
    }

    /// The `open` flag for direct I/O (`O_DIRECT`), which Swift's Glibc module does not
    /// export because it is a GNU extension; its value differs between architectures.
    /// `nil` where Wharf does not know it, and on systems without it (Darwin).
    package static var directIOFlag: Int32? {
        #if os(Linux) && (arch(x86_64) || arch(i386) || arch(s390x))
            return 0o40000
        #elseif os(Linux) && (arch(arm64) || arch(arm))
            return 0o200000
        #elseif os(Linux) && arch(powerpc64le)
            return 0o400000
        #else
            return nil
        #endif
    }

    package static func fsync(_ descriptor: Int32, path: String) throws {
        while systemFsync(descriptor) != 0 {
            if errno != EINTR { throw error("fsync", path) }
        }
    }

    /// Flushes a directory so that a rename into it survives a crash.
    package static func fsyncDirectory(_ path: String) throws {
        let descriptor = try open(path, flags: O_RDONLY | O_CLOEXEC | O_DIRECTORY)
        defer { _ = closeDescriptor(descriptor) }
        try fsync(descriptor, path: path)
    }

    package static func rename(_ source: String, to destination: String) throws {
        guard systemRename(source, destination) == 0 else { throw error("rename to \(destination)", source) }
    }

    package static func unlink(_ path: String) throws {
        guard systemUnlink(path) == 0 else { throw error("unlink", path) }
    }

    /// Creates `path` and its missing parents; an existing directory is fine.
    package static func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode_t(mode)) != 0 && errno != EEXIST {
                throw error("mkdir", current)
            }
        }
    }

    /// The size of a regular file, or `nil` when nothing is at `path`.
    package static func fileSize(_ path: String) throws -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw error("stat", path)
        }
        return Int64(info.st_size)
    }

    /// What `lstat` says of a path: size, modification time (seconds since 1970, with
    /// nanoseconds) and whether it is a directory; `nil` when nothing is there.
    package static func status(_ path: String) throws -> (size: Int64, modified: Double, isDirectory: Bool)? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw error("stat", path)
        }
        #if canImport(Darwin)
            let modified = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        return (Int64(info.st_size), modified, (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// The names in the directory at `path`, without `.` and `..`, in no particular order.
    package static func directoryEntries(_ path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw error("opendir", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { throw error("readdir", path) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }

    /// Removes the file or directory tree at `path` (symbolic links themselves, never what
    /// they point at). Entries that disappear meanwhile are not an error.
    package static func removeTree(_ path: String) throws {
        guard let status = try status(path) else { return }
        if status.isDirectory {
            let entries: [String]
            do {
                entries = try directoryEntries(path)
            } catch ContentError.io(let failure) where failure.isNotFound {
                return
            }
            for name in entries { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw error("rmdir", path) }
        } else if systemUnlink(path) != 0 && errno != ENOENT {
            throw error("unlink", path)
        }
    }

    /// Opens `path` for appending, creating it (and its parents) if needed.
    package static func openForAppending(_ path: String) throws -> Int32 {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try makeDirectories(String(path[..<slash]))
        }
        return try open(path, flags: O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC)
    }

    @discardableResult
    package static func closeDescriptor(_ descriptor: Int32) -> Int32 {
        systemClose(descriptor)
    }

    package static func error(_ operation: String, _ path: String) -> ContentError {
        .io(FileIOError(operation: operation, path: path, errorNumber: errno))
    }
}

// Module-qualified aliases: inside `SystemCall` the static methods shadow the C functions.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemPread(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int, _ offset: off_t
) -> Int {
    pread(fd, buffer, count, offset)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
private func systemPwrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int, _ offset: off_t) -> Int {
    pwrite(fd, buffer, count, offset)
}
private func systemFsync(_ fd: Int32) -> Int32 { fsync(fd) }
private func systemRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
private func systemUnlink(_ path: String) -> Int32 { unlink(path) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
