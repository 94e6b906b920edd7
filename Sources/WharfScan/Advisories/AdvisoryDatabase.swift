import Foundation

/// OSV advisories indexed by ecosystem and package name.
///
/// A database is either held in memory — loaded from a directory of OSV JSON files (any
/// depth), a zip of them (the form of the public per-ecosystem `all.zip` dumps), or built
/// from values — or a compiled file (``compile(sources:to:)``, `wharf db build`) that is
/// mapped and read in place: opening it takes constant time and a lookup decodes only the
/// advisories filed under the package asked for, so a scan's cost follows the image's
/// packages rather than the size of the database.
public struct AdvisoryDatabase: Sendable {
    /// What a compile read and wrote.
    public struct CompileSummary: Sendable, Hashable, Codable {
        /// Advisories written.
        public var advisories = 0
        /// Distinct (ecosystem, package) keys.
        public var packages = 0
        /// Withdrawn advisories left out.
        public var withdrawn = 0
        /// Advisories left out because an earlier source had the same id.
        public var duplicates = 0
    }

    private enum Storage: Sendable {
        /// The advisories (withdrawn ones excluded) and ecosystem → name → positions.
        case memory([OSVAdvisory], [String: [String: [(advisory: Int, affected: Int)]]])
        case compiled(CompiledAdvisoryIndex)
    }

    private let storage: Storage

    /// Indexes `advisories` in memory; withdrawn advisories are left out.
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
        storage = .memory(kept, index)
    }

    /// How many advisories the database holds (withdrawn ones are never held).
    public var advisoryCount: Int {
        switch storage {
        case .memory(let advisories, _): advisories.count
        case .compiled(let index): index.advisoryCount
        }
    }

    /// The largest advisory read from a zip: a hostile archive cannot inflate past it.
    public static let advisorySizeLimit = AdvisorySourceReader.advisorySizeLimit

    /// Opens the database at `path`: a compiled database is mapped; a directory, a zip or a
    /// single file of OSV JSON is read into memory. A file that is not an OSV advisory fails
    /// the load, naming the file.
    public static func load(path: String) throws -> AdvisoryDatabase {
        if AdvisorySourceReader.startsWith(path, CompiledAdvisoryIndex.magic) {
            return AdvisoryDatabase(storage: .compiled(try CompiledAdvisoryIndex(path: path)))
        }
        let decoder = JSONDecoder()
        var advisories: [OSVAdvisory] = []
        try AdvisorySourceReader.forEachFile(at: path) { name, data in
            do {
                advisories.append(try decoder.decode(OSVAdvisory.self, from: data))
            } catch {
                throw ScanError.malformedMetadata(path: name, reason: "not an OSV advisory: \(error)")
            }
        }
        return AdvisoryDatabase(advisories: advisories)
    }

    /// Compiles OSV sources (directories, zips or files; several ecosystems' dumps may be
    /// combined) into one database file at `destination`, replacing it atomically. Withdrawn
    /// advisories are left out, and an id already read from an earlier source is skipped.
    @discardableResult
    public static func compile(sources: [String], to destination: String) throws -> CompileSummary {
        try AdvisoryIndexWriter.compile(sources: sources, to: destination)
    }

    private init(storage: Storage) {
        self.storage = storage
    }

    /// The advisories filed under `name` in `ecosystem` (`Debian:12`, `PyPI`, ...), each with
    /// the affected entry that names the package.
    public func advisories(ecosystem: String, name: String) throws -> [(OSVAdvisory, OSVAdvisory.Affected)] {
        let key = Self.normalizedName(name, ecosystem: ecosystem)
        switch storage {
        case .memory(let advisories, let index):
            return (index[ecosystem]?[key] ?? []).compactMap { position in
                let advisory = advisories[position.advisory]
                return advisory.affected.map { (advisory, $0[position.affected]) }
            }
        case .compiled(let index):
            return try index.candidates(
                key: CompiledAdvisoryIndex.key(ecosystem: ecosystem, normalizedName: key))
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
