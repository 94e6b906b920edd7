/// Finds Alpine packages in apk's installed database, `lib/apk/db/installed`: one record
/// per package, `P:` name, `V:` version, `A:` architecture, `o:` origin (the source
/// package advisories are filed under).
public struct ApkCataloger: Cataloger {
    /// Creates the cataloger.
    public init() {}

    /// Whether the cataloger reads `path`.
    public func wants(_ path: String) -> Bool {
        path == "lib/apk/db/installed"
    }

    /// `apk`.
    public var name: String { "apk" }

    /// The installed packages of apk's database.
    public func packages(in context: CatalogContext) -> [SoftwarePackage] {
        let (filesystem, os) = (context.filesystem, context.os)
        let path = "lib/apk/db/installed"
        guard let file = filesystem.files[path], let bytes = filesystem.contents[path] else { return [] }
        var packages: [SoftwarePackage] = []
        var record: [String: String] = [:]
        func flush() {
            defer { record = [:] }
            guard let name = record["P"], let version = record["V"], !name.isEmpty, !version.isEmpty else {
                return
            }
            let origin = record["o"]
            var qualifiers: [String: String] = [:]
            if let architecture = record["A"] { qualifiers["arch"] = architecture }
            if let origin, origin != name { qualifiers["upstream"] = origin }
            if let versionID = os?.versionID { qualifiers["distro"] = "alpine-\(versionID)" }
            packages.append(
                SoftwarePackage(
                    ecosystem: .alpine(release: Self.release(os)), name: name, version: version,
                    sourceName: origin == name ? nil : origin, architecture: record["A"],
                    purl: PackageURL(
                        type: "apk", namespace: "alpine", name: name, version: version, qualifiers: qualifiers
                    ),
                    foundIn: path, layer: file.layer,
                    licenses: (record["L"]?.trimmed).map { $0.isEmpty ? [] : [$0] } ?? []))
        }
        for line in String(decoding: bytes, as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        {
            if line.isEmpty {
                flush()
                continue
            }
            guard line.count >= 2, line.dropFirst().first == ":" else { continue }
            let key = String(line.prefix(1))
            // Only the first value of a key counts (files repeat R: and F: lines).
            if record[key] == nil { record[key] = String(line.dropFirst(2)) }
        }
        flush()
        return packages
    }

    /// OSV's Alpine release: `v` and the major.minor of `VERSION_ID` (`3.19.1` → `v3.19`).
    static func release(_ os: OSRelease?) -> String? {
        guard os?.id == "alpine", let versionID = os?.versionID else { return nil }
        let parts = versionID.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        return "v\(parts[0]).\(parts[1])"
    }
}
