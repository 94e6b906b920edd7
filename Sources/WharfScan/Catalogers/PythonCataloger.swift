/// Finds installed Python distributions: `*.dist-info/METADATA` (wheels, pip) and
/// `*.egg-info/PKG-INFO` or a bare `*.egg-info` file (setuptools, distutils).
public struct PythonCataloger: Cataloger {
    /// Creates the cataloger.
    public init() {}

    /// Whether the cataloger reads `path`.
    public func wants(_ path: String) -> Bool {
        if path.hasSuffix(".dist-info/METADATA") || path.hasSuffix(".egg-info/PKG-INFO") { return true }
        return path.hasSuffix(".egg-info")
            && (path.contains("site-packages/") || path.contains("dist-packages/"))
    }

    /// `python`.
    public var name: String { "python" }

    /// The installed distributions (dist-info and egg-info metadata).
    public func packages(in context: CatalogContext) -> [SoftwarePackage] {
        let filesystem = context.filesystem
        return filesystem.contents.keys.filter(wants).sorted().compactMap { path in
            guard let file = filesystem.files[path], file.kind == .file, let bytes = filesystem.contents[path]
            else { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            let headers = Self.headers(text)
            guard let name = headers["Name"], let version = headers["Version"], !name.isEmpty,
                !version.isEmpty
            else {
                return nil
            }
            let normalized = AdvisoryDatabase.normalizedName(name, ecosystem: "PyPI")
            return SoftwarePackage(
                ecosystem: .pypi, name: name, version: version,
                purl: PackageURL(type: "pypi", name: normalized, version: version), foundIn: path,
                layer: file.layer, licenses: Self.licenses(headers: headers, text: text))
        }
    }

    /// The declared licenses: `License-Expression` (core metadata 2.4), else a short
    /// `License` field, else the `License ::` trove classifiers' names.
    static func licenses(headers: [String: String], text: String) -> [String] {
        if let expression = headers["License-Expression"], !expression.isEmpty { return [expression] }
        // `License` often holds a whole licence text (its first line here) or UNKNOWN.
        if let license = headers["License"], !license.isEmpty, license.count <= 64,
            !["unknown", "none", "n/a"].contains(license.lowercased())
        {
            return [license]
        }
        var classifiers: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.trimmed.isEmpty { break }
            guard line.hasPrefix("Classifier:") else { continue }
            let parts = line.dropFirst("Classifier:".count).split(separator: "::").map(\.trimmed)
            if parts.first == "License", parts.count >= 2, let name = parts.last, name != "OSI Approved" {
                classifiers.append(name)
            }
        }
        return classifiers
    }

    /// The first occurrence of each header of a core-metadata file, up to the body.
    static func headers(_ text: String) -> [String: String] {
        var headers: [String: String] = [:]
        // Wheels built on Windows use CRLF; in Swift "\r\n" is one Character, a newline.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if line.trimmed.isEmpty { break }
            guard line.first != " ", line.first != "\t", let colon = line.firstIndex(of: ":") else {
                continue
            }
            let key = String(line[..<colon])
            if headers[key] == nil { headers[key] = String(line[line.index(after: colon)...]).trimmed }
        }
        return headers
    }
}
