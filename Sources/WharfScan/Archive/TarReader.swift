public import NIOCore
public import WharfContent

/// Reads a tar archive from a stream, one entry at a time: ustar, pax extended headers
/// (`x` and global `g`), GNU long names and link names (`L`, `K`), and base-256 sizes.
///
/// ```swift
/// let reader = TarReader(layerStream)
/// while let entry = try await reader.next() {
///     if entry.path == "var/lib/dpkg/status" { status = try await reader.readContent(upTo: 16 << 20) }
/// }
/// ```
///
/// Content not read is skipped by the next ``next()``; nothing is buffered beyond one
/// input chunk. Headers are checksummed; an archive that ends inside an entry fails with
/// ``ScanError/truncated(_:)``. Not thread-safe: one task reads it.
public final class TarReader {
    /// The longest pax header or GNU long name accepted (a hostile archive could claim gigabytes).
    public static let extensionSizeLimit = 1 << 20

    private var input: ByteStream.Iterator
    private var buffer = ByteBuffer()
    private var inputEnded = false
    /// Content bytes of the current entry not yet read, and the padding after them.
    private var remainingContent: Int64 = 0
    private var remainingPadding = 0
    private var globalPax: [String: String] = [:]

    /// Reads `stream`.
    public init(_ stream: ByteStream) {
        input = stream.makeAsyncIterator()
    }

    /// The next entry, or `nil` at the end of the archive.
    public func next() async throws -> TarEntry? {
        try await skip(Int64(remainingPadding) + remainingContent)
        remainingContent = 0
        remainingPadding = 0
        var pax: [String: String] = [:]
        var longName: String?
        var longLink: String?
        while true {
            guard let header = try await readBlock() else { return nil }
            if header.allSatisfy({ $0 == 0 }) {
                // End of archive: a zero block (a second one usually follows).
                return nil
            }
            try Self.verifyChecksum(header)
            let typeflag = header[156]
            let size = try Self.parseSize(header)
            switch typeflag {
            case UInt8(ascii: "x"), UInt8(ascii: "g"):
                let records = try Self.parsePax(try await readExtension(size: size))
                if typeflag == UInt8(ascii: "g") {
                    globalPax.merge(records) { $1 }
                } else {
                    pax.merge(records) { $1 }
                }
                continue
            case UInt8(ascii: "L"):
                longName = Self.cString(try await readExtension(size: size))
                continue
            case UInt8(ascii: "K"):
                longLink = Self.cString(try await readExtension(size: size))
                continue
            default:
                break
            }
            let attributes = globalPax.merging(pax) { $1 }
            // The kind of an old-style entry depends on the full name (a trailing slash),
            // not on the 100-byte field a long name was cut to.
            let path = attributes["path"] ?? longName ?? Self.ustarName(header)
            var entry = TarEntry(
                path: path,
                kind: Self.kind(typeflag, path: path),
                size: size,
                mode: UInt32(Self.parseOctal(header[100..<108]) ?? 0),
                linkTarget: nil)
            if let paxSize = attributes["size"] {
                guard let value = Int64(paxSize), value >= 0 else {
                    throw ScanError.corruptArchive("pax size \"\(paxSize)\" of \(entry.path)")
                }
                entry.size = value
            }
            if entry.kind == .symlink || entry.kind == .hardlink {
                entry.linkTarget =
                    attributes["linkpath"] ?? longLink ?? Self.cString(Array(header[157..<257]))
            }
            // Hard links, directories and devices carry no content, whatever size says.
            let contentSize = entry.kind == .file || entry.kind.isOther ? entry.size : 0
            if entry.kind != .file { entry.size = contentSize }
            remainingContent = contentSize
            remainingPadding = Int((512 - contentSize % 512) % 512)
            return entry
        }
    }

    /// The current entry's content, at most `limit` bytes; an entry larger than that
    /// fails with ``ScanError/limitExceeded(_:)`` (and is skipped by the next ``next()``).
    public func readContent(upTo limit: Int) async throws -> [UInt8] {
        guard remainingContent <= Int64(limit) else {
            throw ScanError.limitExceeded("an archive entry of \(remainingContent) bytes exceeds \(limit)")
        }
        let bytes = try await readExactly(Int(remainingContent))
        remainingContent = 0
        return bytes
    }

    /// The next piece of the current entry's content, `nil` once all of it was read; for
    /// looking through large files (binaries) without holding them.
    public func readContentChunk() async throws -> ByteBuffer? {
        guard remainingContent > 0 else { return nil }
        if buffer.readableBytes == 0 {
            try await fill(1)
            guard buffer.readableBytes > 0 else {
                throw ScanError.truncated("the archive ends inside an entry")
            }
        }
        let count = Int(min(remainingContent, Int64(buffer.readableBytes)))
        remainingContent -= Int64(count)
        return buffer.readSlice(length: count)
    }

    // MARK: - Input

    private func fill(_ count: Int) async throws {
        while buffer.readableBytes < count {
            guard !inputEnded, var chunk = try await input.next() else {
                inputEnded = true
                return
            }
            buffer.discardReadBytes()
            buffer.writeBuffer(&chunk)
        }
    }

    private func readExactly(_ count: Int) async throws -> [UInt8] {
        try await fill(count)
        guard buffer.readableBytes >= count, let bytes = buffer.readBytes(length: count) else {
            throw ScanError.truncated("the archive ends inside an entry")
        }
        return bytes
    }

    /// One 512-byte block; `nil` at a clean end of input.
    private func readBlock() async throws -> [UInt8]? {
        try await fill(512)
        if buffer.readableBytes == 0 { return nil }
        guard buffer.readableBytes >= 512 else {
            throw ScanError.truncated("the archive ends inside a header")
        }
        return buffer.readBytes(length: 512)
    }

    private func skip(_ count: Int64) async throws {
        var left = count
        while left > 0 {
            if buffer.readableBytes == 0 {
                try await fill(1)
                guard buffer.readableBytes > 0 else {
                    throw ScanError.truncated("the archive ends inside an entry")
                }
            }
            let step = Int(min(left, Int64(buffer.readableBytes)))
            buffer.moveReaderIndex(forwardBy: step)
            left -= Int64(step)
        }
    }

    private func readExtension(size: Int64) async throws -> [UInt8] {
        guard size <= Int64(Self.extensionSizeLimit) else {
            throw ScanError.limitExceeded("an extended header of \(size) bytes")
        }
        let bytes = try await readExactly(Int(size))
        try await skip(Int64((512 - Int(size) % 512) % 512))
        return bytes
    }

    // MARK: - Header fields

    private static func verifyChecksum(_ header: [UInt8]) throws {
        guard let stored = parseOctal(header[148..<156]) else {
            throw ScanError.corruptArchive("a header without a checksum (not a tar archive?)")
        }
        var unsigned = 0
        var signed = 0
        for (index, byte) in header.enumerated() {
            let value = (148..<156).contains(index) ? 0x20 : byte
            unsigned += Int(value)
            signed += Int(Int8(bitPattern: value))
        }
        guard stored == unsigned || stored == signed else {
            throw ScanError.corruptArchive("header checksum mismatch (not a tar archive, or damaged)")
        }
    }

    /// Octal digits, NUL/space terminated; `nil` when there are none or a bad digit.
    static func parseOctal(_ field: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var sawDigit = false
        for byte in field {
            if byte == 0 || byte == 0x20 {
                if sawDigit { break } else { continue }
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 8)
            guard !overflow else { return nil }
            value = shifted + Int(byte - UInt8(ascii: "0"))
            sawDigit = true
        }
        return sawDigit ? value : nil
    }

    /// The size field: octal, or GNU base-256 when the high bit of its first byte is set.
    private static func parseSize(_ header: [UInt8]) throws -> Int64 {
        let field = header[124..<136]
        if let first = field.first, first & 0x80 != 0 {
            var value: Int64 = 0
            for (offset, byte) in field.enumerated() {
                let digit = offset == 0 ? byte & 0x7F : byte
                guard value <= (Int64.max >> 8) else {
                    throw ScanError.corruptArchive("entry size overflows")
                }
                value = (value << 8) | Int64(digit)
            }
            return value
        }
        guard let value = parseOctal(field) else {
            if field.allSatisfy({ $0 == 0 || $0 == 0x20 }) { return 0 }
            throw ScanError.corruptArchive("entry size field is not a number")
        }
        return Int64(value)
    }

    private static func ustarName(_ header: [UInt8]) -> String {
        let name = cString(Array(header[0..<100]))
        let isUstar = header[257..<262].elementsEqual("ustar".utf8)
        let prefix = isUstar ? cString(Array(header[345..<500])) : ""
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    static func cString(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    private static func kind(_ typeflag: UInt8, path: String) -> TarEntry.Kind {
        switch typeflag {
        case 0:
            // Pre-POSIX archives (type NUL) mark directories only by a trailing slash.
            path.hasSuffix("/") ? .directory : .file
        case UInt8(ascii: "0"), UInt8(ascii: "7"):
            .file
        case UInt8(ascii: "1"): .hardlink
        case UInt8(ascii: "2"): .symlink
        case UInt8(ascii: "3"): .characterDevice
        case UInt8(ascii: "4"): .blockDevice
        case UInt8(ascii: "5"): .directory
        case UInt8(ascii: "6"): .fifo
        default: .other(typeflag)
        }
    }

    /// `"<length> <key>=<value>\n"` records.
    static func parsePax(_ bytes: [UInt8]) throws -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: 0x20),
                let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)), length > 0,
                index + length <= bytes.count, bytes[index + length - 1] == 0x0A
            else { throw ScanError.corruptArchive("malformed pax record") }
            let record = bytes[(space + 1)..<(index + length - 1)]
            guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
                throw ScanError.corruptArchive("pax record without '='")
            }
            records[String(decoding: record[..<equals], as: UTF8.self)] = String(
                decoding: record[(equals + 1)...], as: UTF8.self)
            index += length
        }
        return records
    }
}

extension TarEntry.Kind {
    var isOther: Bool {
        if case .other = self { return true }
        return false
    }
}
