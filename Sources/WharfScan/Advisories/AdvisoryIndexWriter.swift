import Foundation
import NIOCore
import WharfContent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a ``CompiledAdvisoryIndex`` file from OSV sources in one pass: each advisory's
/// original JSON is streamed out as it is read (memory holds only the keys and postings),
/// and the file appears at its destination, fsynced, only when complete.
struct AdvisoryIndexWriter {
    private typealias Posting = (offset: UInt64, length: UInt32, affected: UInt32)

    private let descriptor: Int32
    private let path: String
    private var postings: [[UInt8]: [Posting]] = [:]
    private var seenIDs = Set<String>()
    private var offset = UInt64(CompiledAdvisoryIndex.headerSize)
    private var pending = ByteBuffer()
    private(set) var summary = AdvisoryDatabase.CompileSummary()

    /// Compiles `sources` (directories, zips or files of OSV JSON) into `destination`.
    /// Synchronous: the zip reader is, and a compile is a batch job, not a server path.
    static func compile(sources: [String], to destination: String) throws -> AdvisoryDatabase.CompileSummary {
        let directory = (destination as NSString).deletingLastPathComponent
        let temporary =
            (directory.isEmpty ? "." : directory) + "/.tmp-\(UInt64.random(in: .min ... .max))-wharfdb"
        let descriptor = try SystemCall.open(temporary, flags: O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC)
        var closed = false
        defer {
            if !closed {
                _ = SystemCall.closeDescriptor(descriptor)
                try? SystemCall.unlink(temporary)
            }
        }
        var writer = AdvisoryIndexWriter(descriptor: descriptor, path: temporary)
        writer.pending.writeBytes(CompiledAdvisoryIndex.magic)
        writer.pending.writeInteger(CompiledAdvisoryIndex.formatVersion, endianness: .little)
        writer.pending.writeInteger(UInt32(0), endianness: .little)
        let decoder = JSONDecoder()
        for source in sources {
            try AdvisorySourceReader.forEachFile(at: source) { name, data in
                let advisory: OSVAdvisory
                do {
                    advisory = try decoder.decode(OSVAdvisory.self, from: data)
                } catch {
                    throw ScanError.malformedMetadata(path: name, reason: "not an OSV advisory: \(error)")
                }
                writer.add(advisory, json: data)
                try writer.flush(ifLargerThan: 1 << 20)
            }
        }
        try writer.finish()
        try SystemCall.fsync(descriptor, path: temporary)
        closed = true
        _ = SystemCall.closeDescriptor(descriptor)
        do {
            try SystemCall.rename(temporary, to: destination)
            try SystemCall.fsyncDirectory(directory.isEmpty ? "." : directory)
        } catch {
            try? SystemCall.unlink(temporary)
            throw error
        }
        return writer.summary
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Adds one advisory unless its id was already seen or it is withdrawn.
    private mutating func add(_ advisory: OSVAdvisory, json: Data) {
        guard seenIDs.insert(advisory.id).inserted else {
            summary.duplicates += 1
            return
        }
        guard advisory.withdrawn == nil else {
            summary.withdrawn += 1
            return
        }
        let posting = (offset: offset, length: UInt32(json.count))
        for (position, affected) in (advisory.affected ?? []).enumerated() {
            guard let package = affected.package else { continue }
            let key = CompiledAdvisoryIndex.key(
                ecosystem: package.ecosystem,
                normalizedName: AdvisoryDatabase.normalizedName(package.name, ecosystem: package.ecosystem))
            postings[key, default: []].append((posting.offset, posting.length, UInt32(position)))
        }
        pending.writeBytes(json)
        offset += UInt64(json.count)
        summary.advisories += 1
    }

    private mutating func flush(ifLargerThan threshold: Int) throws {
        guard pending.readableBytes > threshold else { return }
        try pending.withUnsafeReadableBytes { try SystemCall.writeAll(descriptor, $0, path: path) }
        pending.clear()
    }

    /// Writes the key table, postings, strings and trailer.
    private mutating func finish() throws {
        let keys = postings.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let keyTableOffset = offset
        let postingsOffset = keyTableOffset + UInt64(keys.count * CompiledAdvisoryIndex.keyRecordSize)
        var postingCount = 0
        var stringsLength = 0
        for key in keys {
            pending.writeInteger(UInt64(stringsLength), endianness: .little)
            pending.writeInteger(UInt32(key.count), endianness: .little)
            let list = postings[key] ?? []
            pending.writeInteger(UInt32(list.count), endianness: .little)
            pending.writeInteger(
                postingsOffset + UInt64(postingCount * CompiledAdvisoryIndex.postingSize), endianness: .little
            )
            postingCount += list.count
            stringsLength += key.count
            try flush(ifLargerThan: 1 << 20)
        }
        for key in keys {
            for posting in postings[key] ?? [] {
                pending.writeInteger(posting.offset, endianness: .little)
                pending.writeInteger(posting.length, endianness: .little)
                pending.writeInteger(posting.affected, endianness: .little)
            }
            try flush(ifLargerThan: 1 << 20)
        }
        let stringsOffset = postingsOffset + UInt64(postingCount * CompiledAdvisoryIndex.postingSize)
        for key in keys {
            pending.writeBytes(key)
            try flush(ifLargerThan: 1 << 20)
        }
        pending.writeInteger(UInt32(summary.advisories), endianness: .little)
        pending.writeInteger(UInt32(keys.count), endianness: .little)
        pending.writeInteger(keyTableOffset, endianness: .little)
        pending.writeInteger(stringsOffset, endianness: .little)
        pending.writeBytes(CompiledAdvisoryIndex.endMagic)
        try flush(ifLargerThan: 0)
        summary.packages = keys.count
    }
}
