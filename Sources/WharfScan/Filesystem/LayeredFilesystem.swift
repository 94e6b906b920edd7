import WharfContent

/// The filesystem an image's layers add up to, with OCI whiteouts applied: `.wh.<name>`
/// deletes `<name>` from lower layers, `.wh..wh..opq` empties its directory of lower
/// layers' content. Keeps metadata of every file and the content of the files a caller
/// asked to capture (package databases and the like), each with the layer it came from.
///
/// Only metadata and captured content are held; file contents stream past otherwise.
public struct LayeredFilesystem: Sendable {
    /// Every path of the final filesystem.
    public private(set) var files: [String: ImageFile] = [:]
    /// The captured contents, by path, of files still present.
    public private(set) var contents: [String: [UInt8]] = [:]
    /// Entries refused as hostile (paths climbing out of the root), with the layer.
    public private(set) var refusedEntries: [(path: String, layer: LayerOrigin)] = []
    /// The Go build information of executables still present, when asked to look.
    public private(set) var goBuildInfo: [String: GoBuildInfo] = [:]
    /// Executables still present whose Go build information predates Go 1.18: it points
    /// into the binary, so it cannot be read as the file streams past. Their layer must be
    /// read again (``ImageFilesystemReader`` does) and ``resolveGoBuildInfo(_:for:)`` called.
    public private(set) var pointerStyleGoBinaries: Set<String> = []
    /// Directory path (`""` for the root) → the paths directly inside it, so that a
    /// whiteout removes a subtree in time proportional to the subtree, not to the image.
    private var children: [String: Set<String>] = [:]

    /// Creates an empty filesystem.
    public init() {}

    /// What one layer contributes before it is applied: whiteouts and new entries.
    struct LayerChanges {
        var opaqueDirectories: [String] = []
        var whiteouts: [String] = []
        var entries: [ImageFile] = []
        var contents: [String: [UInt8]] = [:]
        var goBuildInfo: [String: GoBuildInfo] = [:]
        var pointerStyleGoBinaries: Set<String> = []
    }

    /// Records the build information read for a pointer-style Go binary.
    public mutating func resolveGoBuildInfo(_ info: GoBuildInfo?, for path: String) {
        guard pointerStyleGoBinaries.remove(path) != nil else { return }
        goBuildInfo[path] = info
    }

    /// Reads one layer's tar from `archive` and applies it on top.
    ///
    /// - Parameters:
    ///   - origin: which layer this is, recorded as the origin of every file it adds.
    ///   - archive: the layer's tar stream.
    ///   - capture: for a path, the most bytes of content to keep (`nil`: keep none).
    ///     A wanted file larger than that is recorded without content.
    ///   - findGoBinaries: look through executables for Go build information (streamed;
    ///     only a window after the marker is kept).
    public mutating func apply(
        layer origin: LayerOrigin, archive: TarReader, capture: (String) -> Int?, findGoBinaries: Bool = false
    ) async throws {
        var changes = LayerChanges()
        while let entry = try await archive.next() {
            guard let path = LayerPath.normalize(entry.path) else {
                refusedEntries.append((entry.path, origin))
                continue
            }
            if path.isEmpty { continue }  // the root itself
            let name = LayerPath.name(path)
            if name == ".wh..wh..opq" {
                changes.opaqueDirectories.append(LayerPath.parent(path))
                continue
            }
            if name.hasPrefix(".wh.") {
                let parent = LayerPath.parent(path)
                let hidden = String(name.dropFirst(4))
                changes.whiteouts.append(parent.isEmpty ? hidden : parent + "/" + hidden)
                continue
            }
            var target = entry.linkTarget
            if entry.kind == .hardlink, let link = entry.linkTarget {
                // Hard links name another path of the archive; keep it normalized (or refuse).
                guard let normalized = LayerPath.normalize(link) else {
                    refusedEntries.append((entry.path, origin))
                    continue
                }
                target = normalized
            }
            changes.entries.append(
                ImageFile(
                    path: path, kind: entry.kind, size: entry.size, mode: entry.mode, linkTarget: target,
                    layer: origin))
            if entry.kind == .file, let limit = capture(path), entry.size <= Int64(limit) {
                changes.contents[path] = try await archive.readContent(upTo: limit)
            } else if findGoBinaries, entry.kind == .file, entry.mode & 0o111 != 0, entry.size >= 1024 {
                var scanner = GoBuildInfoScanner()
                while let chunk = try await archive.readContentChunk(), scanner.feed(chunk) {}
                if let window = scanner.window {
                    if let info = GoBuildInfo.parse(window) {
                        changes.goBuildInfo[path] = info
                    } else if GoBuildInfo.isPointerStyle(window) {
                        changes.pointerStyleGoBinaries.insert(path)
                    }
                }
            } else if entry.kind == .hardlink, let link = target, capture(path) != nil {
                // A hard link shares the content of its target, in this layer or below.
                if let shared = changes.contents[link] ?? contents[link] { changes.contents[path] = shared }
            }
        }
        apply(changes)
    }

    /// Applies whiteouts (against lower layers only), then the layer's own entries.
    mutating func apply(_ changes: LayerChanges) {
        for directory in changes.opaqueDirectories {
            for child in children[directory] ?? [] { removeTree(child) }
        }
        for path in changes.whiteouts {
            removeTree(path)
        }
        for entry in changes.entries {
            // A non-directory replacing a directory takes everything below with it.
            if entry.kind != .directory, files[entry.path]?.kind == .directory {
                removeTree(entry.path)
            }
            files[entry.path] = entry
            link(entry.path)
            contents[entry.path] = changes.contents[entry.path]
            goBuildInfo[entry.path] = changes.goBuildInfo[entry.path]
            if changes.pointerStyleGoBinaries.contains(entry.path) {
                pointerStyleGoBinaries.insert(entry.path)
            } else {
                pointerStyleGoBinaries.remove(entry.path)
            }
        }
    }

    /// Records `path` under its parent, and each ancestor under its own, so that a directory
    /// without an entry of its own (archives need not have directory entries) still leads
    /// to what is inside it.
    private mutating func link(_ path: String) {
        var current = path
        while !current.isEmpty {
            let parent = LayerPath.parent(current)
            guard children[parent, default: []].insert(current).inserted else { return }
            current = parent
        }
    }

    /// Removes `root` and everything below it (also below a directory that has no entry
    /// of its own, as in archives without directory entries).
    private mutating func removeTree(_ root: String) {
        if root.isEmpty {
            for child in children[""] ?? [] { removeTree(child) }
            return
        }
        children[LayerPath.parent(root)]?.remove(root)
        var pending = [root]
        while let path = pending.popLast() {
            pending += children.removeValue(forKey: path) ?? []
            files[path] = nil
            contents[path] = nil
            goBuildInfo[path] = nil
            pointerStyleGoBinaries.remove(path)
        }
    }

    /// The content of `path`, following symlinks within the image (at most 16 hops).
    public func content(of path: String) -> [UInt8]? {
        var current = path
        for _ in 0..<16 {
            guard let file = files[current] else { return nil }
            guard file.kind == .symlink, let target = file.linkTarget else { return contents[current] }
            let base = target.hasPrefix("/") ? "" : LayerPath.parent(current)
            guard let resolved = LayerPath.normalize(base.isEmpty ? target : base + "/" + target) else {
                return nil
            }
            current = resolved
        }
        return nil
    }
}
