import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WharfMetadata
import WharfPolicy
import WharfStorage

extension RegistryResponder {
    /// Answers a request of the management API (`/wharf/v1/`, described by
    /// Docs/openapi/management-v1.yaml): repositories with usage, artifacts with their
    /// history, the audit log, the effective policies, and retention runs. Repository data
    /// needs `pull` on the repository; the audit log `admin` on it (or on every repository
    /// for the whole log); policies and retention `admin` on every repository.
    func respondManagement(
        _ route: ManagementRoute, request: Request, context: Context, origin: inout RequestOrigin
    ) async throws -> Response {
        guard request.method.rawValue == route.method else {
            throw RegistryHTTPError(
                .methodNotAllowed, code: .unsupported,
                message: "\(request.method) is not supported on \(request.uri.path)",
                headers: [.allow: route.method])
        }
        let query = request.uri.queryParameters
        let principal = try await authorize(
            managementAccess(route, repository: query["repository"].map(String.init)), request)
        origin.user = principal.user
        // Answers include what is still batched in memory: pulls and audit events made a
        // moment ago.
        switch route {
        case .artifacts, .audit, .history: await options.activity?.flush()
        default: break
        }
        switch route {
        case .repositories:
            return try await json(try await repositoryList(request, principal: principal))
        case .repository(let name):
            return try await json(try await repositorySummary(try repository(name)))
        case .artifacts(let name):
            let list = try await artifactList(try repository(name), showingUsers: principal.administers(name))
            return try json(list)
        case .history(let name):
            let repository = try repository(name)
            var changes = try await metadata().tagHistory(
                of: query["tag"].map(String.init), in: repository.name)
            if !principal.administers(name) {
                // Who pushed is the administrators' business, not every puller's.
                changes = changes.map { change in
                    var change = change
                    change.by = nil
                    return change
                }
            }
            return try json(ManagementModels.History(repository: repository.name, changes: changes))
        case .audit:
            return try await json(try await auditPage(query))
        case .policies:
            return try json(policies())
        case .retention(let dryRun):
            let runner = RetentionRunner(store: store, policy: options.retention, activity: options.activity)
            let report = try await runner.run(RetentionOptions(dryRun: dryRun, grace: options.retentionGrace))
            return try json(report)
        }
    }

    private func managementAccess(_ route: ManagementRoute, repository: String?) -> RequiredAccess {
        switch route {
        case .repositories: .scopes([.catalog])
        case .repository(let name), .artifacts(let name), .history(let name):
            .scopes([.repository(name, [.pull])])
        case .audit: .scopes([repository.map { .repository($0, [.admin]) } ?? .administration])
        case .policies, .retention: .scopes([.administration])
        }
    }

    private func authorize(_ required: RequiredAccess, _ request: Request) async throws -> RegistryPrincipal {
        guard let accessControl = options.accessControl else { return .unrestricted }
        return try await accessControl.authorize(required, request: request, usesTLS: options.usesTLS)
    }

    private func metadata() throws -> any MetadataStore {
        guard let store = options.activity?.store else {
            throw RegistryHTTPError(
                .serviceUnavailable, code: .unsupported, message: "this registry keeps no metadata")
        }
        return store
    }

    private func repositoryList(
        _ request: Request, principal: RegistryPrincipal
    ) async throws -> ManagementModels.RepositoryList {
        let pagination = try Pagination(request)
        var names = try await store.catalog(after: pagination.last).filter {
            principal.actions(on: $0).contains(.pull)
        }
        let size = pagination.limit ?? 100  // each entry reads the repository's manifests
        let next = size > 0 && names.count > size ? names[size - 1] : nil
        names = Array(names.prefix(size))
        var repositories: [ManagementModels.Repository] = []
        for name in names { repositories.append(try await repositorySummary(try repository(name))) }
        return ManagementModels.RepositoryList(repositories: repositories, next: next)
    }

    private func repositorySummary(
        _ repository: RegistryRepository
    ) async throws -> ManagementModels.Repository {
        let manifests = try await repository.storedManifests()
        if manifests.isEmpty, try await !repository.exists() {
            throw RegistryStoreError.nameUnknown(repository.name)
        }
        let usage = try await store.usage(ofRepository: repository.name)
        let listed = Set(manifests.flatMap(\.children))
        let artifacts = manifests.filter { manifest in
            manifest.subject == nil && (!manifest.tags.isEmpty || !listed.contains(manifest.digest))
        }
        return ManagementModels.Repository(
            name: repository.name, artifacts: artifacts.count, manifests: manifests.count,
            tags: manifests.reduce(0) { $0 + $1.tags.count }, objects: usage.objects, bytes: usage.bytes)
    }

    private func artifactList(
        _ repository: RegistryRepository, showingUsers: Bool
    ) async throws -> ManagementModels.ArtifactList {
        let manifests = try await repository.storedManifests()
        if manifests.isEmpty, try await !repository.exists() {
            throw RegistryStoreError.nameUnknown(repository.name)
        }
        var records: [OCIDigest: ManifestRecord] = [:]
        if let metadata = options.activity?.store {
            for record in try await metadata.manifests(in: repository.name) {
                records[record.digest] = record
            }
        }
        return ManagementModels.ArtifactList(
            repository: repository.name,
            artifacts: manifests.map { manifest in
                let record = records[manifest.digest]
                return ManagementModels.Artifact(
                    digest: manifest.digest.description, mediaType: manifest.mediaType.rawValue,
                    artifactType: manifest.artifactType?.rawValue, size: manifest.size, tags: manifest.tags,
                    subject: manifest.subject?.description,
                    manifests: manifest.children.isEmpty ? nil : manifest.children.map(\.description),
                    pushedAt: record?.pushedAt ?? manifest.linkedAt,
                    pushedBy: showingUsers ? record?.pushedBy : nil,
                    lastPulledAt: record?.lastPulledAt, pullCount: record?.pullCount ?? 0)
            })
    }

    private func auditPage(_ query: Parameters) async throws -> ManagementModels.AuditPage {
        func date(_ name: String) throws -> Date? {
            guard let text = query[Substring(name)].map(String.init) else { return nil }
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = ISO8601DateFormatter().date(from: text) ?? fractional.date(from: text) else {
                throw RegistryHTTPError(
                    .badRequest, code: .unsupported,
                    message: "\(name) must be an RFC 3339 time, like 2026-01-31T12:00:00Z")
            }
            return date
        }
        func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
            guard let text = query[Substring(name)].map(String.init) else { return nil }
            guard let value = Int64(text), range.contains(value) else {
                throw RegistryHTTPError(
                    .badRequest, code: .unsupported,
                    message: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        var audit = AuditQuery(limit: Int(try integer("limit", in: 1...1000) ?? 100))
        audit.repository = query["repository"].map(String.init)
        audit.principal = query["principal"].map(String.init)
        audit.since = try date("since")
        audit.until = try date("until")
        audit.after = try integer("after", in: 0...Int64.max)
        audit.actions = Set(
            query.getAll("action").flatMap { $0.split(separator: ",") }.map {
                AuditAction(rawValue: String($0))
            })
        let events = try await metadata().auditEvents(matching: audit)
        return ManagementModels.AuditPage(
            events: events, next: events.count == audit.limit ? events.last?.id : nil)
    }

    private func policies() -> ManagementModels.Policies {
        let retention = options.retention
        return ManagementModels.Policies(
            immutableTags: store.options.immutableTags.rules,
            retention: ManagementModels.RetentionDocument(
                rules: retention.rules.map {
                    ManagementModels.RetentionRuleDocument(
                        repositories: $0.repositories.pattern, tags: $0.tags.map(\.pattern),
                        excludeTags: $0.excludedTags.map(\.pattern), untagged: $0.untagged,
                        template: $0.template.id,
                        parameter: $0.template.parameter)
                },
                lifecyclePolicies: retention.lifecyclePolicies.map {
                    ManagementModels.LifecycleDocument(
                        repositories: $0.repositories.pattern, policy: $0.policy)
                },
                graceSeconds: options.retentionGrace.components.seconds),
            signatures: options.pullGates.compactMap { $0 as? SignaturePolicy }.flatMap(\.rules).map {
                ManagementModels.SignatureRuleDocument(
                    repositories: $0.repositories.pattern, keys: $0.keys.count)
            })
    }

    private func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let body = ByteBuffer(bytes: try encoder.encode(value))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .contentLength: String(body.readableBytes)],
            body: ResponseBody(byteBuffer: body))
    }
}
