import Foundation
import Hummingbird
import WharfMetadata

/// Who made a request and from where, as the audit log records it.
struct RequestOrigin: Sendable {
    /// The authenticated user; `nil` for anonymous (or before authentication).
    var user: String?
    /// The client's IP address, when the request context knows it.
    var address: String?

    /// The origin of a request in `context`; the address is looked up only when
    /// `recording`, since nothing else needs it.
    init(context: some RequestContext, recording: Bool) {
        address = recording ? (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress : nil
    }

    /// An audit event of this origin.
    func event(
        _ action: AuditAction, outcome: AuditOutcome = .success, repository: String? = nil,
        reference: String? = nil, digest: OCIDigest? = nil, detail: String? = nil, at time: Date = Date()
    ) -> AuditEvent {
        AuditEvent(
            time: time, action: action, outcome: outcome, principal: user, clientAddress: address,
            repository: repository, reference: reference, digest: digest, detail: detail)
    }
}
