import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the page cache holds of a file: how tests see whether bytes were written around it
/// (direct I/O) or through it.
public enum PageCache {
    /// The share of `path`'s pages that are in the page cache, from `mincore(2)`.
    public static func residentFraction(of path: String) throws -> Double {
        let descriptor = open(path, O_RDONLY)
        try #require(descriptor >= 0, "open \(path)")
        defer { close(descriptor) }
        var info = stat()
        try #require(fstat(descriptor, &info) == 0)
        let length = Int(info.st_size)
        try #require(length > 0, "\(path) is empty")
        let mapping = try #require(mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0))
        try #require(mapping != MAP_FAILED)
        defer { munmap(mapping, length) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var vector = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
        #if canImport(Darwin)
            let result = vector.withUnsafeMutableBytes {
                mincore(mapping, length, $0.baseAddress?.assumingMemoryBound(to: CChar.self))
            }
        #else
            let result = mincore(mapping, length, &vector)
        #endif
        try #require(result == 0)
        return Double(vector.filter { $0 & 1 == 1 }.count) / Double(vector.count)
    }

    /// Whether direct I/O can bypass the page cache for files under `path`: Linux (Darwin
    /// has no `O_DIRECT`), on a file system that does not itself live in the page cache
    /// (tmpfs, ramfs), judged by the longest mount point in /proc/mounts containing it.
    public static func directIOBypassesCache(under path: String) throws -> Bool {
        #if os(Linux)
            let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let mounts = try String(contentsOfFile: "/proc/mounts", encoding: .utf8)
            let containing = mounts.split(separator: "\n").compactMap { line -> (String, String)? in
                let fields = line.split(separator: " ")
                guard fields.count > 2 else { return nil }
                let point = String(fields[1])
                let inside = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
                return inside ? (point, String(fields[2])) : nil
            }
            let type = try #require(containing.max { $0.0.count < $1.0.count }).1
            return !["tmpfs", "ramfs"].contains(type)
        #else
            return false
        #endif
    }
}
