public import Foundation

/// How a ``RetentionRunner`` run goes.
public struct RetentionOptions: Sendable, Hashable {
    /// List what would go without removing anything. A dry run and a real run on the same
    /// state remove the same set.
    public var dryRun: Bool
    /// Artifacts whose revision was written within this window are never removed (the same
    /// window garbage collection gives pushes in flight); 1 hour by default.
    public var grace: Duration
    /// The time the rules judge by; now by default. Tests and simulations inject a clock.
    public var now: Date?

    /// Creates options.
    public init(dryRun: Bool = false, grace: Duration = .seconds(3600), now: Date? = nil) {
        self.dryRun = dryRun
        self.grace = grace
        self.now = now
    }
}
