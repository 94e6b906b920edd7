import Foundation

/// A compiled advisory database read in place: `wharf db build` writes it once, and a scan
/// opens it in constant time and decodes only the advisories of the packages it looks up,
/// so load and match scale with the image's packages, not with the database's size.
///
/// The file (little-endian) is written front to back in one pass, so its table offsets
/// sit in a trailer, as in a zip's end record:
/// - header, ``headerSize`` bytes: magic `WHARFOSV`, format version (u32), reserved (u32);
/// - the advisories' original OSV JSON, one after another;
/// - the key table: one 24-byte record per key, sorted by key bytes — key offset in the
///   strings (u64), key length (u32), posting count (u32), postings offset (u64);
/// - the postings: 16 bytes each — advisory offset (u64), advisory length (u32), index of
///   the matching `affected` entry (u32);
/// - the strings: the keys, `ecosystem NUL normalized-name`;
/// - trailer, ``trailerSize`` bytes: advisory count (u32), key count (u32), key table
///   offset (u64), strings offset (u64), magic `WHARFEND` — a file cut short lacks it.
struct CompiledAdvisoryIndex: Sendable {
    static let magic = Array("WHARFOSV".utf8)
    static let formatVersion: UInt32 = 1
    static let endMagic = Array("WHARFEND".utf8)
    static let headerSize = 16
    static let trailerSize = 32
    static let keyRecordSize = 24
    static let postingSize = 16

    private let file: MappedFile
    private let path: String
    /// How many advisories the file holds.
    let advisoryCount: Int
    private let keyCount: Int
    private let keyTableOffset: Int
    private let stringsOffset: Int

    /// Opens and checks the header, the trailer and the key table's bounds; the other
    /// records are checked as they are read.
    init(path: String) throws {
        let file = try MappedFile(path: path)
        let bytes = file.bytes
        guard bytes.count >= Self.headerSize, Array(bytes[0..<8]) == Self.magic else {
            throw ScanError.malformedMetadata(path: path, reason: "not a compiled advisory database")
        }
        guard Self.readUInt32(bytes, at: 8) == Self.formatVersion else {
            throw ScanError.malformedMetadata(
                path: path, reason: "compiled with format \(Self.readUInt32(bytes, at: 8)); rebuild it")
        }
        let trailer = bytes.count - Self.trailerSize
        guard trailer >= Self.headerSize, Array(bytes[(trailer + 24)..<(trailer + 32)]) == Self.endMagic
        else {
            throw ScanError.malformedMetadata(path: path, reason: "compiled advisory database is truncated")
        }
        let keyCount = Int(Self.readUInt32(bytes, at: trailer + 4))
        let keyTable = Self.readUInt64(bytes, at: trailer + 8)
        let strings = Self.readUInt64(bytes, at: trailer + 16)
        guard keyTable <= UInt64(trailer), strings <= UInt64(trailer),
            UInt64(keyCount) * UInt64(Self.keyRecordSize) <= UInt64(trailer) - keyTable
        else {
            throw ScanError.malformedMetadata(
                path: path, reason: "corrupt compiled advisory database: bad offsets")
        }
        self.file = file
        self.path = path
        self.advisoryCount = Int(Self.readUInt32(bytes, at: trailer))
        self.keyCount = keyCount
        self.keyTableOffset = Int(keyTable)
        self.stringsOffset = Int(strings)
    }

    /// The lookup key of a package.
    static func key(ecosystem: String, normalizedName: String) -> [UInt8] {
        Array(ecosystem.utf8) + [0] + Array(normalizedName.utf8)
    }

    /// The advisories and affected entries filed under `key`, decoded from the file.
    func candidates(key: [UInt8]) throws -> [(OSVAdvisory, OSVAdvisory.Affected)] {
        guard let record = try find(key) else { return [] }
        let bytes = file.bytes
        let count = Int(Self.readUInt32(bytes, at: record + 12))
        let postings = Self.readUInt64(bytes, at: record + 16)
        guard postings <= UInt64(bytes.count),
            UInt64(count) * UInt64(Self.postingSize) <= UInt64(bytes.count) - postings
        else { throw corrupt("postings out of bounds") }
        let decoder = JSONDecoder()
        var result: [(OSVAdvisory, OSVAdvisory.Affected)] = []
        for position in 0..<count {
            let posting = Int(postings) + position * Self.postingSize
            let offset = Self.readUInt64(bytes, at: posting)
            let length = UInt64(Self.readUInt32(bytes, at: posting + 8))
            let affected = Int(Self.readUInt32(bytes, at: posting + 12))
            guard offset >= UInt64(Self.headerSize), offset <= UInt64(bytes.count),
                length <= UInt64(bytes.count) - offset
            else { throw corrupt("advisory out of bounds") }
            let json = Data(bytes[Int(offset)..<Int(offset + length)])
            let advisory: OSVAdvisory
            do {
                advisory = try decoder.decode(OSVAdvisory.self, from: json)
            } catch {
                throw corrupt("advisory at \(offset) does not decode: \(error)")
            }
            guard let entries = advisory.affected, entries.indices.contains(affected) else {
                throw corrupt("advisory \(advisory.id) has no affected entry \(affected)")
            }
            result.append((advisory, entries[affected]))
        }
        return result
    }

    /// Binary search over the sorted key records; the record's offset when found.
    private func find(_ key: [UInt8]) throws -> Int? {
        var low = 0
        var high = keyCount
        while low < high {
            let middle = (low + high) / 2
            let record = keyTableOffset + middle * Self.keyRecordSize
            let order = try compare(key, withKeyOf: record)
            if order == 0 { return record }
            if order < 0 { high = middle } else { low = middle + 1 }
        }
        return nil
    }

    private func compare(_ key: [UInt8], withKeyOf record: Int) throws -> Int {
        let bytes = file.bytes
        let (offset, overflow) = UInt64(stringsOffset).addingReportingOverflow(
            Self.readUInt64(bytes, at: record))
        let length = UInt64(Self.readUInt32(bytes, at: record + 8))
        guard !overflow, offset <= UInt64(bytes.count), length <= UInt64(bytes.count) - offset else {
            throw corrupt("key out of bounds")
        }
        let stored = bytes[Int(offset)..<Int(offset + length)]
        for (mine, theirs) in zip(key, stored) where mine != theirs {
            return mine < theirs ? -1 : 1
        }
        return key.count == stored.count ? 0 : (key.count < stored.count ? -1 : 1)
    }

    private func corrupt(_ reason: String) -> ScanError {
        .malformedMetadata(path: path, reason: "corrupt compiled advisory database: \(reason)")
    }

    static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    static func readUInt64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
