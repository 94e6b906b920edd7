import NIOCore

/// The build information the Go toolchain embeds in every binary: the Go version and the
/// modules linked in. Found by the `\xff Go buildinf:` magic, as `go version -m` finds it,
/// so stripped binaries work too. Go 1.18 and later inline the strings after the magic;
/// older toolchains point at them, and those are read in a second pass over their layer.
public struct GoBuildInfo: Sendable, Equatable {
    /// A module: path and version (after `=>` replacements).
    public struct Module: Sendable, Equatable, Hashable {
        /// The module path, `golang.org/x/net`.
        public var path: String
        /// The version, `v0.17.0`.
        public var version: String
    }

    /// The toolchain, `go1.21.5`.
    public var goVersion: String
    /// The main module, when the binary was built from one.
    public var main: Module?
    /// The dependencies.
    public var dependencies: [Module]

    /// How much after the magic is kept: the version and module list fit easily.
    static let windowSize = 256 << 10

    /// Parses the bytes that start at the magic; `nil` for formats before Go 1.18 (which
    /// point into the binary instead of inlining the strings) or anything malformed.
    public static func parse(_ bytes: [UInt8]) -> GoBuildInfo? {
        guard bytes.count >= 32, bytes.starts(with: rawMagic), bytes[15] & 0x2 != 0 else { return nil }
        var offset = 32
        func string() -> String? {
            var length: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count {
                let byte = bytes[offset]
                offset += 1
                length |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
                if shift > 35 { return nil }
            }
            guard length <= UInt64(bytes.count - offset) else { return nil }
            defer { offset += Int(length) }
            return String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self)
        }
        guard let version = string(), version.hasPrefix("go"), let modinfo = string() else { return nil }
        return GoBuildInfo(goVersion: version, modinfo: modinfo)
    }

    /// Whether `bytes`, starting at the magic, are a pre-1.18 header: pointers to the
    /// strings instead of the strings.
    static func isPointerStyle(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 32 && bytes.starts(with: rawMagic) && bytes[15] & 0x2 == 0
            && (bytes[14] == 4 || bytes[14] == 8)
    }

    /// Build information from the version string and the module list `go version -m` prints.
    init(goVersion version: String, modinfo rawModinfo: String) {
        var modinfo = rawModinfo
        // The module list is framed by 16-byte sentinels.
        let utf8 = Array(modinfo.utf8)
        if utf8.count >= 33, utf8[utf8.count - 17] == UInt8(ascii: "\n") {
            modinfo = String(decoding: utf8[16..<(utf8.count - 16)], as: UTF8.self)
        }
        var main: Module?
        var dependencies: [Module] = []
        for line in modinfo.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "mod" where fields.count >= 3:
                main = Module(path: fields[1], version: fields[2])
            case "dep" where fields.count >= 3:
                dependencies.append(Module(path: fields[1], version: fields[2]))
            case "=>" where fields.count >= 3 && !dependencies.isEmpty:
                // A replacement stands in for the dependency before it.
                dependencies[dependencies.count - 1] = Module(path: fields[1], version: fields[2])
            default:
                continue
            }
        }
        self.init(goVersion: version, main: main, dependencies: dependencies)
    }

    /// Creates build information.
    public init(goVersion: String, main: Module?, dependencies: [Module]) {
        self.goVersion = goVersion
        self.main = main
        self.dependencies = dependencies
    }

    static let rawMagic: [UInt8] = [0xFF] + Array(" Go buildinf:".utf8)
}

/// Looks through a file's content as it streams for Go build information, keeping only
/// the window after the magic.
struct GoBuildInfoScanner {
    private var tail: [UInt8] = []
    private(set) var window: [UInt8]?
    private var checkedHeader = false
    private(set) var isELF = false

    /// Feeds the next chunk; returns false once there is nothing more to look for.
    ///
    /// Every executable of an image streams through here, so chunks are searched in place:
    /// only the few bytes around a chunk boundary and the window itself are copied.
    mutating func feed(_ chunk: ByteBuffer) -> Bool {
        let bytes = chunk.readableBytesView
        if !checkedHeader {
            checkedHeader = true
            isELF = bytes.starts(with: [0x7F, 0x45, 0x4C, 0x46])
            if !isELF { return false }
        }
        let size = GoBuildInfo.windowSize
        if var found = window {
            found.append(contentsOf: bytes.prefix(size - found.count))
            window = found
            return found.count < size
        }
        let magic = GoBuildInfo.rawMagic
        // A magic that straddles the boundary starts in the previous chunk's tail.
        let boundary = tail + bytes.prefix(magic.count - 1)
        if let start = Self.find(magic, in: boundary), start < tail.count {
            var found = Array(boundary[start...])
            found.append(contentsOf: bytes.dropFirst(magic.count - 1).prefix(size - found.count))
            window = found
        } else if let start = Self.find(magic, in: bytes) {
            window = Array(bytes[start...].prefix(size))
        } else {
            // Keep the last bytes seen: a magic may begin in them.
            tail =
                bytes.count >= magic.count - 1
                ? Array(bytes.suffix(magic.count - 1)) : Array(boundary.suffix(magic.count - 1))
            return true
        }
        return (window?.count ?? size) < size
    }

    private static func find<Haystack: RandomAccessCollection<UInt8>>(
        _ needle: [UInt8], in haystack: Haystack
    )
        -> Haystack.Index?
    {
        var index = haystack.startIndex
        while let next = haystack[index...].firstIndex(of: needle[0]) {
            guard haystack.distance(from: next, to: haystack.endIndex) >= needle.count else { return nil }
            if haystack[next...].prefix(needle.count).elementsEqual(needle) { return next }
            index = haystack.index(after: next)
        }
        return nil
    }
}
