/// What a retention rule keeps of the artifacts its selectors choose: Harbor's templates,
/// under Harbor's names.
public enum RetentionTemplate: Sendable, Hashable, CustomStringConvertible {
    /// `latestPushedK`: the `count` most recently pushed.
    case latestPushedK(Int)
    /// `latestPulledN`: the `count` most recently pulled (never-pulled artifacts come last,
    /// and are kept when fewer artifacts were pulled).
    case latestPulledN(Int)
    /// `nDaysSinceLastPush`: those pushed within the last `days` days (24-hour days, the
    /// boundary included).
    case nDaysSinceLastPush(Int)
    /// `nDaysSinceLastPull`: those pulled within the last `days` days; never-pulled
    /// artifacts are not kept by this template.
    case nDaysSinceLastPull(Int)
    /// `always`: all of them.
    case always

    /// Harbor's template ID, which is also its parameter's name.
    public var id: String {
        switch self {
        case .latestPushedK: "latestPushedK"
        case .latestPulledN: "latestPulledN"
        case .nDaysSinceLastPush: "nDaysSinceLastPush"
        case .nDaysSinceLastPull: "nDaysSinceLastPull"
        case .always: "always"
        }
    }

    /// The parameter, if the template has one.
    public var parameter: Int? {
        switch self {
        case .latestPushedK(let value), .latestPulledN(let value), .nDaysSinceLastPush(let value),
            .nDaysSinceLastPull(let value):
            value
        case .always: nil
        }
    }

    /// `latestPushedK=10`, `always`.
    public var description: String { parameter.map { "\(id)=\($0)" } ?? id }
}
