/// Why a retention run cannot start.
public enum RetentionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A rule judges by pulls (`latestPulledN`, `nDaysSinceLastPull`, ECR's
    /// `sinceImagePulled`) but there is no metadata store to tell them: every artifact
    /// would look never pulled.
    case pullHistoryUnavailable

    /// What went wrong, and what to do.
    public var description: String {
        switch self {
        case .pullHistoryUnavailable:
            "the retention policy judges by pulls, but there is no metadata database to tell them "
                + "(start `wharf serve` on the root, or run `wharf metadata rebuild`)"
        }
    }
}
