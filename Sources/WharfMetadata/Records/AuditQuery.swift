public import Foundation

/// Which audit events to read: filters, and a page.
public struct AuditQuery: Sendable, Hashable {
    /// Only this repository's events.
    public var repository: String?
    /// Only events at or after this time.
    public var since: Date?
    /// Only events before this time.
    public var until: Date?
    /// Only these actions (empty: all).
    public var actions: Set<AuditAction>
    /// Only this principal's events.
    public var principal: String?
    /// Only events after this id (the last id of the previous page).
    public var after: Int64?
    /// The most events returned.
    public var limit: Int

    /// Creates a query; by default the first 100 events of all.
    public init(
        repository: String? = nil, since: Date? = nil, until: Date? = nil, actions: Set<AuditAction> = [],
        principal: String? = nil, after: Int64? = nil, limit: Int = 100
    ) {
        self.repository = repository
        self.since = since
        self.until = until
        self.actions = actions
        self.principal = principal
        self.after = after
        self.limit = limit
    }

    /// Whether `event` passes the filters (not the page).
    public func matches(_ event: AuditEvent) -> Bool {
        (repository == nil || event.repository == repository)
            && (since.map { event.time >= $0 } ?? true)
            && (until.map { event.time < $0 } ?? true)
            && (actions.isEmpty || actions.contains(event.action))
            && (principal == nil || event.principal == principal)
            && (after.map { (event.id ?? 0) > $0 } ?? true)
    }
}
