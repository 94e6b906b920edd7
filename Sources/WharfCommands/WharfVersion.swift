/// The version of Wharf this binary was built from.
public enum WharfVersion {
    /// The semantic version string.
    public static let current = "0.1.0-dev"
}
