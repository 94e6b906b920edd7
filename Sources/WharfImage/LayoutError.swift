/// Errors of ``OCILayoutStore``.
public enum LayoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The directory is not a usable OCI image layout.
    case invalidLayout(root: String, reason: String)
    /// A tag is not a valid `org.opencontainers.image.ref.name`.
    case invalidReference(String)

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        switch self {
        case .invalidLayout(let root, let reason):
            "\(root) is not a valid OCI image layout: \(reason)"
        case .invalidReference(let name):
            "invalid OCI layout reference name \(UntrustedText.quoted(name))"
        }
    }
}
