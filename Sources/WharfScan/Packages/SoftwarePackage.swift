/// A package found in an image: by a cataloger of Wharf's or an embedder's own.
public struct SoftwarePackage: Sendable, Hashable, Codable {
    /// The package's ecosystem, with the vocabulary of OSV.
    public var ecosystem: Ecosystem
    /// The package name.
    public var name: String
    /// The installed version.
    public var version: String
    /// For OS packages: the source package advisories are filed under (dpkg `Source`,
    /// apk origin); `nil` when it is the package itself.
    public var sourceName: String?
    /// The source package's version when it differs (dpkg `Source: name (version)`).
    public var sourceVersion: String?
    /// The CPU architecture, for OS packages.
    public var architecture: String?
    /// The package URL.
    public var purl: PackageURL
    /// The file the package was found in (a database, a manifest, a binary).
    public var foundIn: String
    /// The layer that put that file there.
    public var layer: LayerOrigin
    /// The licenses the package declares, as written (an SPDX expression, a DEP-5 short
    /// name, a classifier); ``SPDXLicense`` turns them into SPDX expressions.
    public var licenses: [String]

    /// Creates a package record.
    public init(
        ecosystem: Ecosystem, name: String, version: String, sourceName: String? = nil,
        sourceVersion: String? = nil,
        architecture: String? = nil, purl: PackageURL, foundIn: String, layer: LayerOrigin,
        licenses: [String] = []
    ) {
        self.ecosystem = ecosystem
        self.name = name
        self.version = version
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.architecture = architecture
        self.purl = purl
        self.foundIn = foundIn
        self.layer = layer
        self.licenses = licenses
    }
}
