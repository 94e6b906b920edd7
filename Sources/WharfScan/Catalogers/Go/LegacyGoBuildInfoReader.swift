import Foundation

/// Reads the build information of Go binaries older than Go 1.18, whose header does not
/// hold the strings but two pointers — virtual addresses of the `runtime.buildVersion` and
/// `runtime.modinfo` string headers, which point in turn at the bytes, usually in
/// `.rodata`, *before* the header in the file. That needs random access, so these binaries
/// are read from a copy on disk rather than as they stream past (`ImageFilesystemReader`
/// makes one, on a second read of the layer, only for them).
///
/// ELF only (container images are Linux), 32- or 64-bit, either byte order, as
/// `debug/buildinfo` reads them: the header is searched at 16-byte alignment from the start
/// of the first writable segment.
struct LegacyGoBuildInfoReader {
    /// Random access to the binary's bytes: `count` bytes at `offset`, fewer at the end.
    let read: (_ offset: UInt64, _ count: Int) throws -> [UInt8]

    /// The largest string followed: a corrupt length cannot make the reader allocate more.
    static let stringLimit = 16 << 20

    private struct Segment {
        var offset: UInt64
        var address: UInt64
        var fileSize: UInt64
        var memorySize: UInt64
        var writable: Bool
    }

    private struct Layout {
        var is64Bit: Bool
        var bigEndian: Bool
        var segments: [Segment]
    }

    /// The build information, or `nil` when the file is not an ELF Go binary with a
    /// pointer-style header, or anything it points at is out of range.
    func buildInfo() throws -> GoBuildInfo? {
        guard let layout = try elfLayout(),
            let data = layout.segments.first(where: \.writable)
        else { return nil }
        // The header sits near the start of the data; Go searches the first 64 KiB.
        let searched = try read(data.offset, Int(min(data.fileSize, 64 << 10)))
        var headerStart: Int?
        var position = 0
        while position + 32 <= searched.count {
            if searched[position..<(position + 14)].elementsEqual(GoBuildInfo.rawMagic) {
                headerStart = position
                break
            }
            position += 16
        }
        guard let start = headerStart else { return nil }
        let header = Array(searched[start..<(start + 32)])
        let pointerSize = Int(header[14])
        let bigEndian = header[15] & 0x1 != 0
        guard header[15] & 0x2 == 0, pointerSize == 4 || pointerSize == 8 else { return nil }
        let word = { (bytes: ArraySlice<UInt8>) in Self.integer(bytes, bigEndian: bigEndian) }
        let versionHeader = word(header[16..<(16 + pointerSize)])
        let modinfoHeader = word(header[(16 + pointerSize)..<(16 + 2 * pointerSize)])
        guard
            let version = try string(
                at: versionHeader, pointerSize: pointerSize, bigEndian: bigEndian, in: layout),
            version.hasPrefix("go")
        else { return nil }
        let modinfo = try string(
            at: modinfoHeader, pointerSize: pointerSize, bigEndian: bigEndian, in: layout)
        return GoBuildInfo(goVersion: version, modinfo: modinfo ?? "")
    }

    /// The Go string whose header (data pointer, length) is at virtual address `address`.
    private func string(
        at address: UInt64, pointerSize: Int, bigEndian: Bool, in layout: Layout
    ) throws -> String? {
        guard let header = try bytes(at: address, count: 2 * pointerSize, in: layout) else { return nil }
        let data = Self.integer(header[0..<pointerSize], bigEndian: bigEndian)
        let length = Self.integer(header[pointerSize..<(2 * pointerSize)], bigEndian: bigEndian)
        guard length <= UInt64(Self.stringLimit) else { return nil }
        if length == 0 { return "" }
        guard let bytes = try bytes(at: data, count: Int(length), in: layout) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` bytes at virtual address `address`; zeros where the segment has no file
    /// bytes (`.bss`, where an unset string header lives).
    private func bytes(at address: UInt64, count: Int, in layout: Layout) throws -> [UInt8]? {
        guard
            let segment = layout.segments.first(where: {
                address >= $0.address && address - $0.address < $0.memorySize
            })
        else { return nil }
        let within = address - segment.address
        guard UInt64(count) <= segment.memorySize - within else { return nil }
        if within >= segment.fileSize { return [UInt8](repeating: 0, count: count) }
        let (offset, overflow) = segment.offset.addingReportingOverflow(within)
        guard UInt64(count) <= segment.fileSize - within, !overflow else { return nil }
        let bytes = try read(offset, count)
        return bytes.count == count ? bytes : nil
    }

    /// The loadable segments from the ELF program headers.
    private func elfLayout() throws -> Layout? {
        let identification = try read(0, 64)
        guard identification.count >= 52, identification.starts(with: [0x7F, 0x45, 0x4C, 0x46]),
            [1, 2].contains(identification[4]), [1, 2].contains(identification[5])
        else { return nil }
        let is64Bit = identification[4] == 2
        let bigEndian = identification[5] == 2
        func field(_ offset: Int, _ size: Int, in bytes: [UInt8]) -> UInt64 {
            Self.integer(bytes[offset..<(offset + size)], bigEndian: bigEndian)
        }
        guard !is64Bit || identification.count >= 64 else { return nil }
        let tableOffset = is64Bit ? field(0x20, 8, in: identification) : field(0x1C, 4, in: identification)
        let entrySize = Int(is64Bit ? field(0x36, 2, in: identification) : field(0x2A, 2, in: identification))
        let entryCount = Int(
            is64Bit ? field(0x38, 2, in: identification) : field(0x2C, 2, in: identification))
        // Real program headers are 56 (64-bit) or 32 bytes; a hostile size must not make
        // the reader allocate megabytes.
        guard entrySize >= (is64Bit ? 56 : 32), entrySize <= 256, entryCount <= 256 else { return nil }
        let table = try read(tableOffset, entrySize * entryCount)
        guard table.count == entrySize * entryCount else { return nil }
        var segments: [Segment] = []
        for index in 0..<entryCount {
            let entry = Array(table[(index * entrySize)..<((index + 1) * entrySize)])
            guard field(0, 4, in: entry) == 1 else { continue }  // PT_LOAD
            let segment =
                is64Bit
                ? Segment(
                    offset: field(8, 8, in: entry), address: field(16, 8, in: entry),
                    fileSize: field(32, 8, in: entry), memorySize: field(40, 8, in: entry),
                    writable: field(4, 4, in: entry) & 0x2 != 0)
                : Segment(
                    offset: field(4, 4, in: entry), address: field(8, 4, in: entry),
                    fileSize: field(16, 4, in: entry), memorySize: field(20, 4, in: entry),
                    writable: field(24, 4, in: entry) & 0x2 != 0)
            guard segment.fileSize <= segment.memorySize else { return nil }
            segments.append(segment)
        }
        return Layout(is64Bit: is64Bit, bigEndian: bigEndian, segments: segments)
    }

    private static func integer(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> UInt64 {
        let ordered = bigEndian ? Array(bytes) : bytes.reversed()
        return ordered.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
