/// Finds Debian packages in `var/lib/dpkg/status` and, for distroless images, in
/// `var/lib/dpkg/status.d/*`: installed packages only, with their source package and the
/// licenses their `usr/share/doc/<package>/copyright` file names.
public struct DpkgCataloger: Cataloger {
    /// Creates the cataloger.
    public init() {}

    /// Whether the cataloger reads `path`.
    public func wants(_ path: String) -> Bool {
        isDatabase(path) || isCopyright(path)
    }

    private func isDatabase(_ path: String) -> Bool {
        path == "var/lib/dpkg/status"
            || (path.hasPrefix("var/lib/dpkg/status.d/") && !path.hasSuffix(".md5sums"))
    }

    private func isCopyright(_ path: String) -> Bool {
        path.hasPrefix("usr/share/doc/") && path.hasSuffix("/copyright")
            && path.split(separator: "/").count == 5
    }

    /// `dpkg`.
    public var name: String { "dpkg" }

    /// The installed packages of `dpkg`'s status database and of distroless `status.d`.
    public func packages(in context: CatalogContext) -> [SoftwarePackage] {
        let (filesystem, os) = (context.filesystem, context.os)
        var packages: [SoftwarePackage] = []
        for path in filesystem.contents.keys.filter(isDatabase).sorted() {
            guard let file = filesystem.files[path], let bytes = filesystem.contents[path] else { continue }
            for stanza in Self.stanzas(String(decoding: bytes, as: UTF8.self)) {
                if var package = package(from: stanza, path: path, layer: file.layer, os: os) {
                    if let copyright = filesystem.contents["usr/share/doc/\(package.name)/copyright"] {
                        package.licenses = Self.copyrightLicenses(String(decoding: copyright, as: UTF8.self))
                    }
                    packages.append(package)
                }
            }
        }
        return packages
    }

    private func package(
        from fields: [String: String], path: String, layer: LayerOrigin, os: OSRelease?
    ) -> SoftwarePackage? {
        guard let name = fields["Package"], let version = fields["Version"], !name.isEmpty, !version.isEmpty
        else {
            return nil
        }
        // status lists removed packages too ("deinstall ok config-files"); status.d has no Status.
        if let status = fields["Status"], !status.hasSuffix(" installed") { return nil }
        var sourceName: String?
        var sourceVersion: String?
        if let source = fields["Source"] {
            let parts = source.split(separator: " ", maxSplits: 1)
            sourceName = parts.first.map(String.init)
            if parts.count == 2 {
                sourceVersion = parts[1].trimmingParentheses
            }
        }
        let release = os?.id == "debian" ? os?.versionID?.split(separator: ".").first.map(String.init) : nil
        var qualifiers: [String: String] = [:]
        if let architecture = fields["Architecture"] { qualifiers["arch"] = architecture }
        if let sourceName, sourceName != name {
            qualifiers["upstream"] = sourceVersion.map { "\(sourceName)@\($0)" } ?? sourceName
        }
        if let os, let versionID = os.versionID { qualifiers["distro"] = "\(os.id)-\(versionID)" }
        let namespace = os?.id ?? "debian"
        return SoftwarePackage(
            ecosystem: .debian(release: release), name: name, version: version,
            sourceName: sourceName, sourceVersion: sourceVersion, architecture: fields["Architecture"],
            purl: PackageURL(
                type: "deb", namespace: namespace, name: name, version: version, qualifiers: qualifiers),
            foundIn: path, layer: layer)
    }

    /// The license names of a Debian copyright file: the `License:` short names of a
    /// machine-readable (DEP-5) file, else the `/usr/share/common-licenses/NAME` files a
    /// free-form one points to. In order of appearance, without repeats.
    static func copyrightLicenses(_ text: String) -> [String] {
        var names: [String] = []
        func add(_ name: some StringProtocol) {
            let name = name.trimmed
            if !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        if text.hasPrefix("Format:") {
            for stanza in stanzas(text) {
                // The field's first line is the short name (possibly empty); the lines
                // after it, the text.
                if let license = stanza["License"],
                    let first = license.split(separator: "\n", omittingEmptySubsequences: false).first
                {
                    add(first)
                }
            }
            return names
        }
        let marker = "/usr/share/common-licenses/"
        var rest = Substring(text)
        while let range = rest.range(of: marker) {
            let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || "+-._".contains($0) }
            add(name.hasSuffix(".") ? name.dropLast() : name)
            rest = rest[range.upperBound...]
        }
        return names
    }

    /// Splits a deb822 file into stanzas of fields (continuation lines folded in).
    static func stanzas(_ text: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String] = [:]
        var lastKey: String?
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.trimmed.isEmpty {
                if !current.isEmpty { result.append(current) }
                current = [:]
                lastKey = nil
                continue
            }
            if line.first == " " || line.first == "\t" {
                if let lastKey { current[lastKey, default: ""] += "\n" + line.trimmed }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon])
            current[key] = String(line[line.index(after: colon)...]).trimmed
            lastKey = key
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}

extension Substring {
    fileprivate var trimmingParentheses: String {
        var text = trimmed
        if text.hasPrefix("(") { text.removeFirst() }
        if text.hasSuffix(")") { text.removeLast() }
        return text.trimmed
    }
}
