import Foundation
import WharfMetadata
import WharfPolicy
import WharfStorage

/// The management API's documents, as Docs/openapi/management-v1.yaml describes them.
enum ManagementModels {
    struct Repository: Encodable {
        var name: String
        var artifacts: Int
        var manifests: Int
        var tags: Int
        var objects: Int
        var bytes: Int64
    }

    struct RepositoryList: Encodable {
        var repositories: [Repository]
        var next: String?
    }

    struct Artifact: Encodable {
        var digest: String
        var mediaType: String
        var artifactType: String?
        var size: Int64
        var tags: [String]
        var subject: String?
        var manifests: [String]?
        var pushedAt: Date?
        var pushedBy: String?
        var lastPulledAt: Date?
        var pullCount: Int64
    }

    struct ArtifactList: Encodable {
        var repository: String
        var artifacts: [Artifact]
    }

    struct History: Encodable {
        var repository: String
        var changes: [TagChange]
    }

    struct AuditPage: Encodable {
        var events: [AuditEvent]
        var next: Int64?
    }

    struct RetentionRuleDocument: Encodable {
        var repositories: String
        var tags: [String]
        var excludeTags: [String]
        var untagged: Bool
        var template: String
        var parameter: Int?
    }

    struct LifecycleDocument: Encodable {
        var repositories: String
        var policy: LifecyclePolicy
    }

    struct RetentionDocument: Encodable {
        var rules: [RetentionRuleDocument]
        var lifecyclePolicies: [LifecycleDocument]
        var graceSeconds: Int64
    }

    struct SignatureRuleDocument: Encodable {
        var repositories: String
        var keys: Int
    }

    struct Policies: Encodable {
        var immutableTags: [ImmutableTagRule]
        var retention: RetentionDocument
        var signatures: [SignatureRuleDocument]
    }
}
