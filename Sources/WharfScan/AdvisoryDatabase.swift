import Foundation
import ZIPFoundation

/// OSV advisories indexed by ecosystem and package name, loaded from a directory of OSV
/// JSON files (any depth) or from a zip of them — the form of the public per-ecosystem
/// `all.zip` dumps.
public struct AdvisoryDatabase: Sendable {
    /// The advisories, withdrawn ones excluded.
    public let advisories: [OSVAdvisory]
    /// ecosystem → package name → (advisory, affected entry) positions.
    private let index: [String: [String: [(advisory: Int, affected: Int)]]]

    /// Indexes `advisories`.
    public init(advisories: [OSVAdvisory]) {
        let kept = advisories.filter { $0.withdrawn == nil }
        var index: [String: [String: [(Int, Int)]]] = [:]
        for (position, advisory) in kept.enumerated() {
            for (affectedPosition, affected) in (advisory.affected ?? []).enumerated() {
                guard let package = affected.package else { continue }
                let name = Self.normalizedName(package.name, ecosystem: package.ecosystem)
                index[package.ecosystem, default: [:]][name, default: []].append((position, affectedPosition))
            }
        }
        self.advisories = kept
        self.index = index
    }

    /// The largest advisory read from a zip: a hostile archive cannot inflate past it.
    public static let advisorySizeLimit = 16 << 20

    /// Loads every `*.json` file under `path` (a directory), in `path` (a zip), or the file
    /// itself. A file that is not an OSV advisory fails the load, naming the file.
    public static func load(path: String) throws -> AdvisoryDatabase {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScanError.malformedMetadata(path: path, reason: "no such advisory database")
        }
        if !isDirectory.boolValue, Self.isZip(path) { return try loadZip(path: path) }
        var files: [String] = []
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                if relative.hasSuffix(".json") {
                    files.append((path as NSString).appendingPathComponent(relative))
                }
            }
        } else {
            files = [path]
        }
        let decoder = JSONDecoder()
        var advisories: [OSVAdvisory] = []
        for file in files.sorted() {
            do {
                advisories.append(
                    try decoder.decode(OSVAdvisory.self, from: Data(contentsOf: URL(fileURLWithPath: file))))
            } catch {
                throw ScanError.malformedMetadata(path: file, reason: "not an OSV advisory: \(error)")
            }
        }
        return AdvisoryDatabase(advisories: advisories)
    }

    private static func isZip(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    private static func loadZip(path: String) throws -> AdvisoryDatabase {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ScanError.malformedMetadata(path: path, reason: "not a readable zip: \(error)")
        }
        let decoder = JSONDecoder()
        var advisories: [OSVAdvisory] = []
        for entry in archive where entry.type == .file && entry.path.hasSuffix(".json") {
            guard entry.uncompressedSize <= UInt64(advisorySizeLimit) else {
                throw ScanError.limitExceeded(
                    "\(path): \(entry.path) inflates to \(entry.uncompressedSize) bytes")
            }
            var data = Data()
            do {
                // The CRC is checked: a damaged entry fails rather than decoding garbage.
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard data.count + chunk.count <= advisorySizeLimit else {
                        throw ScanError.limitExceeded(
                            "\(path): \(entry.path) inflates past its declared size")
                    }
                    data.append(chunk)
                }
                advisories.append(try decoder.decode(OSVAdvisory.self, from: data))
            } catch let error as ScanError {
                throw error
            } catch {
                throw ScanError.malformedMetadata(path: "\(path): \(entry.path)", reason: "\(error)")
            }
        }
        return AdvisoryDatabase(advisories: advisories)
    }

    /// The affected entries for `name` in `ecosystem`.
    func candidates(ecosystem: String, name: String) -> [(OSVAdvisory, OSVAdvisory.Affected)] {
        let key = Self.normalizedName(name, ecosystem: ecosystem)
        return (index[ecosystem]?[key] ?? []).map { position in
            let advisory = advisories[position.advisory]
            return (advisory, advisory.affected![position.affected])
        }
    }

    /// PyPI names compare after PEP 503 normalization; other ecosystems exactly.
    static func normalizedName(_ name: String, ecosystem: String) -> String {
        guard ecosystem == "PyPI" else { return name }
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }
}
