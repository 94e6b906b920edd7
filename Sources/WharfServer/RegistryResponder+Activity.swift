import Foundation
import HTTPTypes
import Hummingbird
import WharfMetadata

extension RegistryResponder {
    /// Audits a failed request when it is a failed authentication or a refusal (access
    /// control, a policy, an immutable tag). Other failures (unknown manifests, invalid
    /// requests) are the client's business, not the audit log's. A `401` without
    /// credentials is the first step of every client's authentication, not a failure.
    func auditFailure(
        _ error: RegistryHTTPError, route: RegistryRoute?, request: Request, origin: RequestOrigin
    ) {
        guard let activity = options.activity else { return }
        var origin = origin
        let action: AuditAction
        switch error.status {
        case .unauthorized:
            guard let credentials = AuthorizationHeader(request.headers[.authorization]) else { return }
            if origin.user == nil, case .basic(let user, _) = credentials { origin.user = user }
            action = .authenticationFailure
        case .forbidden, .preconditionFailed:
            action = .refusal
        default:
            return
        }
        activity.recordAudit(
            origin.event(
                action, outcome: .denied, repository: route?.repository, reference: route?.reference,
                detail: "\(request.method) \(error.message)"))
    }
}
