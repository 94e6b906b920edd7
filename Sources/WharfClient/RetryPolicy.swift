/// When a failed request is sent again: on network errors, 408, 429 and 5xx, with
/// exponential backoff and full jitter, honouring `Retry-After` up to a ceiling.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 disables retries.
    public var maximumAttempts: Int
    /// The backoff ceiling of the first retry.
    public var initialDelay: Duration
    /// The longest wait between attempts, `Retry-After` included.
    public var maximumDelay: Duration

    /// Creates a policy.
    public init(
        maximumAttempts: Int = 5, initialDelay: Duration = .milliseconds(200),
        maximumDelay: Duration = .seconds(30)
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The wait before attempt `attempt + 1` (attempt counts from 1): the registry's
    /// `Retry-After` when it gave one, else a random time up to `initialDelay * 2^(attempt-1)`.
    func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        if let retryAfter { return min(retryAfter, maximumDelay) }
        let ceiling = min(initialDelay * (1 << min(attempt - 1, 20)), maximumDelay)
        let nanoseconds =
            ceiling.components.seconds * 1_000_000_000 + ceiling.components.attoseconds / 1_000_000_000
        guard nanoseconds > 0 else { return .zero }
        return .nanoseconds(Int64.random(in: 0...nanoseconds))
    }
}
