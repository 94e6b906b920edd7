import Foundation
import ZIPFoundation

/// Reads the OSV JSON files of an advisory source — a directory (any depth), a zip in the
/// form of the public per-ecosystem `all.zip` dumps, or one file — handing each file's
/// name and bytes to a closure, so that loading and compiling share one reader.
enum AdvisorySourceReader {
    /// The largest advisory read from a zip: a hostile archive cannot inflate past it.
    static let advisorySizeLimit = 16 << 20

    /// Calls `body` with every `*.json` file of `path` in a stable order.
    static func forEachFile(at path: String, _ body: (_ name: String, _ data: Data) throws -> Void) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScanError.malformedMetadata(path: path, reason: "no such advisory database")
        }
        if !isDirectory.boolValue, startsWith(path, [0x50, 0x4B, 0x03, 0x04]) {
            return try forEachZipEntry(at: path, body)
        }
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
        for file in files.sorted() {
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            guard size <= advisorySizeLimit else {
                throw ScanError.limitExceeded("\(file) is \(size) bytes, more than an advisory may be")
            }
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw ScanError.malformedMetadata(path: file, reason: "unreadable: \(error)")
            }
            try body(file, data)
        }
    }

    /// Whether the file at `path` begins with `magic`.
    static func startsWith(_ path: String, _ magic: [UInt8]) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: magic.count)).map { Array($0) == magic } ?? false
    }

    private static func forEachZipEntry(at path: String, _ body: (String, Data) throws -> Void) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw ScanError.malformedMetadata(path: path, reason: "not a readable zip: \(error)")
        }
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
            } catch let error as ScanError {
                throw error
            } catch {
                throw ScanError.malformedMetadata(path: "\(path): \(entry.path)", reason: "\(error)")
            }
            try body("\(path): \(entry.path)", data)
        }
    }
}
