public import Foundation
public import WharfContent

/// One entry of the audit log: who did what to which artifact, from where, and how it
/// ended.
public struct AuditEvent: Sendable, Hashable, Codable {
    /// The store's sequence number, assigned when the event is appended (increasing).
    public var id: Int64?
    /// When it happened.
    public var time: Date
    /// What happened.
    public var action: AuditAction
    /// How it ended.
    public var outcome: AuditOutcome
    /// Who: the authenticated principal, when there was one.
    public var principal: String?
    /// From where: the client's address.
    public var clientAddress: String?
    /// The repository concerned, if any.
    public var repository: String?
    /// The tag or digest the client named, if any.
    public var reference: String?
    /// The manifest or blob concerned, if known.
    public var digest: OCIDigest?
    /// More about it (a refusal's reason, the rule that removed an artifact).
    public var detail: String?

    /// Creates an event.
    public init(
        time: Date, action: AuditAction, outcome: AuditOutcome = .success, principal: String? = nil,
        clientAddress: String? = nil, repository: String? = nil, reference: String? = nil,
        digest: OCIDigest? = nil, detail: String? = nil
    ) {
        self.time = time
        self.action = action
        self.outcome = outcome
        self.principal = principal
        self.clientAddress = clientAddress
        self.repository = repository
        self.reference = reference
        self.digest = digest
        self.detail = detail
    }
}

/// What an audit event records. Open: later features add actions of their own.
public struct AuditAction: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The action's name (`push`, `pull`…).
    public let rawValue: String

    /// Creates an action.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates an action from a literal.
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    /// The name.
    public var description: String { rawValue }

    /// A manifest push.
    public static let push: AuditAction = "push"
    /// A manifest pull.
    public static let pull: AuditAction = "pull"
    /// A manifest, tag or blob deletion.
    public static let delete: AuditAction = "delete"
    /// A tag set or moved.
    public static let tag: AuditAction = "tag"
    /// A request a policy refused.
    public static let refusal: AuditAction = "refusal"
    /// An artifact removed by retention.
    public static let retention: AuditAction = "retention"
    /// A failed authentication.
    public static let authenticationFailure: AuditAction = "authentication-failure"
    /// A login (a token issued, or Basic credentials accepted for the first time).
    public static let login: AuditAction = "login"
}

/// How an audited action ended.
public enum AuditOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// It was done.
    case success
    /// It was refused (access control, a policy).
    case denied
    /// It failed.
    case failure
}
