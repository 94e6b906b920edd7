import WharfClient

/// The version of Wharf this binary was built from.
public enum WharfVersion {
    /// The semantic version string.
    public static let current = WharfClientVersion.string
}
