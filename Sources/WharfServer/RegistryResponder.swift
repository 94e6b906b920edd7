import HTTPTypes
public import Hummingbird
import NIOCore
import WharfContent
public import WharfStorage

/// The OCI distribution-spec v1.1 API over a `RegistryStore` (`WharfStorage`), as a Hummingbird responder.
///
/// Use it as the whole application (`Application(responder:)`), or mount it in another
/// Hummingbird application through ``RegistryMiddleware``. Every request under `/v2/` is
/// answered here, errors included, always with the OCI error body; paths outside `/v2/`
/// get a 404 in the same form.
public struct RegistryResponder<Context: RequestContext>: HTTPResponder {
    /// The storage served.
    public let store: RegistryStore
    /// API behaviour.
    public let options: RegistryServerOptions

    /// Creates a responder serving `store`.
    public init(store: RegistryStore, options: RegistryServerOptions = RegistryServerOptions()) {
        self.store = store
        self.options = options
    }

    /// Answers one request.
    public func respond(to request: Request, context: Context) async throws -> Response {
        var response: Response
        let route = RegistryRoute(path: request.uri.path)
        var origin = RequestOrigin(context: context, recording: options.activity != nil)
        do {
            if let route {
                let principal = try await authorize(route, request: request)
                origin.user = principal.user
                response = try await dispatch(
                    route, request: request, context: context, principal: principal, origin: origin)
                if route == .base, request.method == .get, principal.user != nil {
                    options.activity?.recordAudit(origin.event(.login))
                }
            } else if let management = ManagementRoute(path: request.uri.path) {
                response = try await respondManagement(
                    management, request: request, context: context, origin: &origin)
            } else if let answer = try await respondOutsideAPI(request) {
                response = answer
            } else {
                throw RegistryHTTPError(.notFound, code: .unsupported, message: "no such endpoint")
            }
        } catch {
            // The one place errors become answers (Application(responder:) has no router
            // to render an HTTPResponseError): see RegistryHTTPError(answering:logger:).
            let answer = RegistryHTTPError(answering: error, logger: context.logger)
            response = answer.response()
            if options.activity != nil {
                auditFailure(answer, route: route, request: request, origin: origin)
            }
        }
        response.headers[.dockerDistributionAPIVersion] = "registry/2.0"
        return response
    }

    /// The answer of access control's own endpoints outside `/v2/` (the built-in token
    /// service), or `nil` when the path is none of them.
    func respondOutsideAPI(_ request: Request) async throws -> Response? {
        try await options.accessControl?.respond(to: request, usesTLS: options.usesTLS)
    }

    private func authorize(_ route: RegistryRoute, request: Request) async throws -> RegistryPrincipal {
        guard let accessControl = options.accessControl else { return .unrestricted }
        return try await accessControl.authorize(
            RequiredAccess(route: route, method: request.method.rawValue), request: request,
            usesTLS: options.usesTLS)
    }

    private func dispatch(
        _ route: RegistryRoute, request: Request, context: Context, principal: RegistryPrincipal,
        origin: RequestOrigin
    ) async throws -> Response {
        switch (route, request.method) {
        case (.base, .get), (.base, .head):
            return Response(
                status: .ok, headers: [.contentType: "application/json", .contentLength: "2"],
                body: request.method == .head
                    ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        case (.catalog, .get):
            return try await catalog(request)
        case (.tags(let name), .get):
            return try await tags(try repository(name), request: request)
        case (.manifest(let name, let reference), .get), (.manifest(let name, let reference), .head):
            return try await getManifest(
                try repository(name), reference: reference, request: request, origin: origin)
        case (.manifest(let name, let reference), .put):
            return try await putManifest(
                try repository(name), reference: reference, request: request, origin: origin)
        case (.manifest(let name, let reference), .delete):
            return try await deleteManifest(try repository(name), reference: reference, origin: origin)
        case (.blob(let name, let digest), .get), (.blob(let name, let digest), .head):
            return try await getBlob(try repository(name), digest: digest, request: request)
        case (.blob(let name, let digest), .delete):
            return try await deleteBlob(try repository(name), digest: digest, origin: origin)
        case (.uploads(let name), .post):
            return try await startUpload(try repository(name), request: request, principal: principal)
        case (.upload(let name, let id), .get):
            return try await uploadStatus(try repository(name), id: id)
        case (.upload(let name, let id), .patch):
            return try await patchUpload(try repository(name), id: id, request: request)
        case (.upload(let name, let id), .put):
            return try await finishUpload(try repository(name), id: id, request: request)
        case (.upload(let name, let id), .delete):
            return try await cancelUpload(try repository(name), id: id)
        case (.referrers(let name, let digest), .get):
            return try await referrers(try repository(name), digest: digest, request: request)
        default:
            throw RegistryHTTPError.unsupported("\(request.method) is not supported on \(request.uri.path)")
        }
    }

    func repository(_ name: String) throws -> RegistryRepository {
        try store.repository(name)
    }

    func parseDigest(_ text: String) throws -> OCIDigest {
        do {
            return try OCIDigest(parsing: text)
        } catch {
            throw RegistryHTTPError.digestInvalid("\(error)")
        }
    }
}

/// Mounts a ``RegistryResponder`` in another Hummingbird application: requests under
/// `/v2/` (and access control's own endpoints, such as the built-in token service's
/// `/token`) go to the registry, everything else to the rest of the application.
public struct RegistryMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The registry that answers `/v2/` requests.
    public let registry: RegistryResponder<Context>

    /// Creates the middleware.
    public init(store: RegistryStore, options: RegistryServerOptions = RegistryServerOptions()) {
        registry = RegistryResponder(store: store, options: options)
    }

    /// Routes `/v2/` requests (and access control's own endpoints, such as `/token`) to the
    /// registry and the rest onwards.
    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let path = request.uri.path
        if path == "/v2" || path.hasPrefix("/v2/") {
            return try await registry.respond(to: request, context: context)
        }
        let answer: Response?
        do {
            answer = try await registry.respondOutsideAPI(request)
        } catch {
            return RegistryHTTPError(answering: error, logger: context.logger).response()
        }
        if let answer { return answer }
        return try await next(request, context)
    }
}
