import WharfContent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Direct I/O (`O_DIRECT`) for the aligned middle of large appends to one file.
///
/// Buffered writes leave an upload's bytes dirty in the page cache, and the fsync at commit
/// then writes them all out while the client waits: for a large blob that flush is as long
/// as the rest of the upload. Written directly, the bytes go to the disk on the I/O pool
/// while the next batch is being hashed, and the final fsync has almost nothing left to do.
///
/// Direct I/O wants the file offset, the length and the memory address aligned to the
/// device's block size, so each large append is split: a buffered head up to the next
/// aligned offset, the aligned middle copied through an aligned bounce buffer and written
/// directly, and a buffered tail. Mixing the two on one file is safe: the kernel writes
/// back and drops cached pages in a range before it writes that range directly, and the
/// head and tail never share a page with a direct write.
///
/// Whatever direct I/O cannot do (a file system without it, such as tmpfs before Linux
/// 6.6 or many over FUSE, an alignment the device refuses, a short write) turns it off for
/// this file, and the bytes are written the buffered way instead: the outcome is the same
/// file. The direct descriptor is opened on the first large append, so small appends
/// (chunked uploads of a few KiB) cost nothing extra.
struct DirectAppend {
    /// The alignment used for offsets, lengths and the bounce buffer: a page, which covers
    /// devices with 512-byte and 4 KiB logical blocks.
    static let alignment = 4096
    /// The largest direct write, and the bounce buffer's size.
    static let bounceCapacity = 1 << 20
    /// Appends shorter than this are written buffered: for small chunks the copy and the
    /// synchronous device round trip cost more than the page cache.
    static let minimumLength = 64 << 10

    private enum Channel {
        /// Not opened yet: the file is opened with this `open` flag on the first large append.
        case unopened(flag: Int32)
        case open(Int32)
        case off
    }

    private var channel: Channel
    private var bounce: UnsafeMutableRawBufferPointer?
    /// The file's size: where the next byte goes.
    private(set) var size: Int64

    /// Prepares direct appends to the file `size` bytes long if `enabled` and the system
    /// has direct I/O; whether the file system takes it is learnt on the first large append.
    init(size: Int64, enabled: Bool) {
        self.size = size
        channel = enabled ? SystemCall.directIOFlag.map { .unopened(flag: $0) } ?? .off : .off
    }

    /// Uses `descriptor` for the direct writes: for tests, which hand in one that fails.
    init(directDescriptor descriptor: Int32, size: Int64) {
        self.size = size
        channel = .open(descriptor)
    }

    /// Whether large appends may still go through direct I/O.
    var isDirect: Bool {
        if case .off = channel { return false }
        return true
    }

    /// Appends `bytes` at the end of the file, through `buffered` (the file opened with
    /// `O_APPEND`) for what direct I/O does not take.
    mutating func append(_ bytes: UnsafeRawBufferPointer, buffered: Int32, path: String) throws {
        var remaining = bytes[...]
        if isDirect, bytes.count >= Self.minimumLength {
            let misalignment = Int(size % Int64(Self.alignment))
            if misalignment != 0 {
                let head = remaining.prefix(Self.alignment - misalignment)
                try SystemCall.writeAll(buffered, UnsafeRawBufferPointer(rebasing: head), path: path)
                size += Int64(head.count)
                remaining = remaining.dropFirst(head.count)
            }
            while remaining.count >= Self.alignment, let descriptor = directDescriptor(path: path) {
                let length = min(Self.bounceCapacity, remaining.count / Self.alignment * Self.alignment)
                let bounce = bounceBuffer()
                bounce.copyMemory(from: UnsafeRawBufferPointer(rebasing: remaining.prefix(length)))
                let written =
                    SystemCall.writeOnce(
                        descriptor, UnsafeRawBufferPointer(rebasing: bounce.prefix(length)), at: size) ?? 0
                size += Int64(written)
                remaining = remaining.dropFirst(written)
                // Anything short of the whole block is left to the buffered write below,
                // which reports a real failure (a full disk) with its error.
                if written < length { close() }
            }
        }
        try SystemCall.writeAll(buffered, UnsafeRawBufferPointer(rebasing: remaining), path: path)
        size += Int64(remaining.count)
    }

    /// Closes the direct descriptor and frees the bounce buffer; later appends are buffered.
    mutating func close() {
        if case .open(let descriptor) = channel { SystemCall.closeDescriptor(descriptor) }
        channel = .off
        bounce?.deallocate()
        bounce = nil
    }

    /// The direct descriptor, opened now if it was not yet; `nil` when direct I/O is off
    /// or the file system refuses it.
    private mutating func directDescriptor(path: String) -> Int32? {
        switch channel {
        case .open(let descriptor):
            return descriptor
        case .off:
            return nil
        case .unopened(let flag):
            guard let descriptor = try? SystemCall.open(path, flags: O_WRONLY | O_CLOEXEC | flag) else {
                channel = .off
                return nil
            }
            channel = .open(descriptor)
            return descriptor
        }
    }

    private mutating func bounceBuffer() -> UnsafeMutableRawBufferPointer {
        if let bounce { return bounce }
        let allocated = UnsafeMutableRawBufferPointer.allocate(
            byteCount: Self.bounceCapacity, alignment: Self.alignment)
        bounce = allocated
        return allocated
    }
}
