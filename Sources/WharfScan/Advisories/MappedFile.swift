#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A read-only memory map of a whole file: the compiled advisory index is read in place,
/// so opening it costs the same whatever its size, and only the pages a lookup touches are
/// ever read from disk.
// @unchecked: the mapping is read-only and never changes until deinit unmaps it.
final class MappedFile: @unchecked Sendable {
    /// The file's bytes; valid as long as this object lives.
    let bytes: UnsafeRawBufferPointer

    /// Maps `path`; an empty file maps to an empty buffer.
    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ScanError.malformedMetadata(path: path, reason: "cannot open: errno \(errno)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw ScanError.malformedMetadata(path: path, reason: "cannot stat: errno \(errno)")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw ScanError.malformedMetadata(path: path, reason: "cannot map: errno \(errno)")
        }
        // Lookups jump around the file: read-ahead would only fill memory with pages of
        // advisories nobody asked for.
        _ = madvise(address, size, MADV_RANDOM)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
