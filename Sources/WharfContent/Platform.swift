/// The platform an image manifest is built for, as in an index's `platform` field and an
/// image configuration's `os`/`architecture`/`variant` fields.
///
/// Matching and normalisation (`Platform+Matching.swift`) are value logic here too;
/// parsing the `os/architecture[/variant]` flag form lives with the image model.
public struct Platform: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The CPU architecture, in Go's `GOARCH` vocabulary (`amd64`, `arm64`, ...).
    public var architecture: String
    /// The operating system, in Go's `GOOS` vocabulary (`linux`, `windows`, ...).
    public var os: String
    /// The operating system version (used by Windows images).
    public var osVersion: String?
    /// Required operating system features (used by Windows images).
    public var osFeatures: [String]?
    /// The CPU variant (`v7` for `arm`, `v8` for `arm64`, ...).
    public var variant: String?
    /// Reserved by the image-spec; carried so that round trips keep it.
    public var features: [String]?

    /// Creates a platform.
    public init(
        os: String, architecture: String, variant: String? = nil, osVersion: String? = nil,
        osFeatures: [String]? = nil, features: [String]? = nil
    ) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.features = features
    }

    enum CodingKeys: String, CodingKey {
        case architecture
        case os
        case osVersion = "os.version"
        case osFeatures = "os.features"
        case variant
        case features
    }

    /// `os/architecture[/variant]`, the form `--platform` flags take.
    public var description: String {
        var text = "\(os)/\(architecture)"
        if let variant, !variant.isEmpty { text += "/\(variant)" }
        return text
    }
}
