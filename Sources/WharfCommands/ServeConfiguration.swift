import Foundation
import WharfServer
import Yams

/// The `--config` file of `wharf serve`, in YAML.
///
/// Every key is optional; flags given on the command line win over the file. Relative
/// paths in the file are resolved against the file's own directory, so a configuration
/// keeps working whatever directory the server starts in. Unknown keys are an error: a
/// misspelt `anonymousPul` must not silently leave a registry open or closed.
///
/// ```yaml
/// address: 0.0.0.0:5000
/// root: /var/lib/wharf
/// log: { level: info }
/// tls: { certificate: tls.crt, key: tls.key }
/// limits: { manifestSize: 4194304, chunkMinLength: 5242880 }
/// auth:
///   htpasswd: htpasswd            # Basic, or the users of the built-in token service
///   realm: Wharf Registry         # Basic realm
///   anonymousPull: false
///   token:                        # present: token authentication
///     service: registry.example.com
///     issuer: wharf
///     signingKey: token.key       # built-in token service at /token, or else:
///     realm: https://auth.example.com/token
///     trustedKeys: issuer.crt     # certificates or public keys of the external service
///     lifetime: 5m
///   access:
///     - { repositories: "team/**", users: [alice], actions: [pull, push, delete] }
///     - { repositories: "**", users: ["*"], actions: [pull] }
/// gc: { interval: 24h, grace: 1h, deleteUntagged: false }
/// storage:
///   directIO: true                  # uploads bypass the page cache where the disk allows
///   uploadPurging: { enabled: true, age: 168h, interval: 24h }   # Distribution's defaults
/// policies:                         # the first rule whose pattern matches applies
///   - { repositories: "prod/**", requireSignature: { keys: [release.pub] } }
/// immutableTags:                    # existing matching tags cannot be moved or deleted
///   - { repositories: "prod/**", tags: ["v*", "release-*"], exclude: ["*-rc*"] }
/// retention:                        # Harbor's templates; ECR lifecycle policies as JSON files
///   schedule: 24h                   # run this often, then garbage collection (off unless given)
///   rules:                          # an artifact survives if any rule covering it keeps it
///     - { repositories: "ci/**", tags: ["release-*"], always: true }
///     - { repositories: "ci/**", untagged: true, nDaysSinceLastPush: 14 }
///   lifecyclePolicies:              # the first match governs a repository alone
///     - { repositories: "legacy/**", file: legacy-lifecycle.json }
/// metadata:                         # history, pulls and the audit log (SQLite)
///   path: /var/lib/wharf/meta.db    # default ROOT/wharf/metadata.sqlite, beside Distribution's docker/
///   auditRetention: 90d             # default: kept forever
///   enabled: true
/// ```
struct ServeConfiguration: Decodable, Equatable {
    struct Log: Decodable, Equatable {
        var level: String?
    }

    struct TLS: Decodable, Equatable {
        var certificate: String
        var key: String
    }

    struct Limits: Decodable, Equatable {
        var manifestSize: Int?
        var chunkMinLength: Int?
    }

    struct Auth: Decodable, Equatable {
        struct Token: Decodable, Equatable {
            var service: String
            var issuer: String
            var signingKey: String?
            var realm: String?
            var trustedKeys: String?
            var lifetime: String?
        }

        var htpasswd: String?
        var realm: String?
        var anonymousPull: Bool?
        var token: Token?
        var access: [AccessRule]?

        init() {}
    }

    struct GarbageCollection: Decodable, Equatable {
        var interval: String?
        var grace: String?
        var deleteUntagged: Bool?
    }

    struct Storage: Decodable, Equatable {
        struct UploadPurging: Decodable, Equatable {
            var enabled: Bool?
            var age: String?
            var interval: String?
        }
        var directIO: Bool?
        var uploadPurging: UploadPurging?
    }

    struct Policy: Decodable, Equatable {
        struct RequireSignature: Decodable, Equatable {
            var keys: [String]
        }
        var repositories: String
        var requireSignature: RequireSignature?
    }

    struct ImmutableTags: Decodable, Equatable {
        var repositories: String
        var tags: [String]
        var exclude: [String]?

        var rule: ImmutableTagRule {
            ImmutableTagRule(
                repositories: GlobPattern(repositories), tags: tags.map { GlobPattern($0) },
                exclude: (exclude ?? []).map { GlobPattern($0) })
        }
    }

    struct Metadata: Decodable, Equatable {
        var path: String?
        var auditRetention: String?
        var enabled: Bool?
    }

    struct Retention: Decodable, Equatable {
        struct Rule: Decodable, Equatable {
            var repositories: String
            var tags: [String]?
            var excludeTags: [String]?
            var untagged: Bool?
            var latestPushedK: Int?
            var latestPulledN: Int?
            var nDaysSinceLastPush: Int?
            var nDaysSinceLastPull: Int?
            var always: Bool?
        }
        struct Lifecycle: Decodable, Equatable {
            var repositories: String
            var file: String
        }
        var schedule: String?
        var grace: String?
        var rules: [Rule]?
        var lifecyclePolicies: [Lifecycle]?
    }

    init() {}

    var address: String?
    var root: String?
    var log: Log?
    var tls: TLS?
    var limits: Limits?
    var auth: Auth?
    var gc: GarbageCollection?
    var storage: Storage?
    var policies: [Policy]?
    var immutableTags: [ImmutableTags]?
    var metadata: Metadata?
    var retention: Retention?

    /// The keys each mapping may hold, by dotted path (`[]` for sequence elements).
    private static let schema: [String: Set<String>] = [
        "": [
            "address", "root", "log", "tls", "limits", "auth", "gc", "storage", "policies", "immutableTags",
            "metadata", "retention",
        ],
        "log": ["level"],
        "tls": ["certificate", "key"],
        "limits": ["manifestSize", "chunkMinLength"],
        "auth": ["htpasswd", "realm", "anonymousPull", "token", "access"],
        "auth.token": ["service", "issuer", "signingKey", "realm", "trustedKeys", "lifetime"],
        "auth.access[]": ["repositories", "users", "actions"],
        "gc": ["interval", "grace", "deleteUntagged"],
        "storage": ["directIO", "uploadPurging"],
        "storage.uploadPurging": ["enabled", "age", "interval"],
        "policies[]": ["repositories", "requireSignature"],
        "policies[].requireSignature": ["keys"],
        "immutableTags[]": ["repositories", "tags", "exclude"],
        "metadata": ["path", "auditRetention", "enabled"],
        "retention": ["schedule", "grace", "rules", "lifecyclePolicies"],
        "retention.rules[]": [
            "repositories", "tags", "excludeTags", "untagged", "latestPushedK", "latestPulledN",
            "nDaysSinceLastPush", "nDaysSinceLastPull", "always",
        ],
        "retention.lifecyclePolicies[]": ["repositories", "file"],
    ]

    /// Reads, checks and decodes a configuration file; relative paths in it come back
    /// resolved against its directory.
    static func load(path: String) throws -> ServeConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read \(path): \(error.localizedDescription)")
        }
        do {
            if let node = try Yams.compose(yaml: text) { try checkKeys(node, at: "") }
            var configuration = try YAMLDecoder().decode(ServeConfiguration.self, from: text)
            configuration.resolvePaths(relativeTo: (path as NSString).deletingLastPathComponent)
            return configuration
        } catch let error as ConfigurationError {
            throw ConfigurationError("\(path): \(error.message)")
        } catch let error as DecodingError {
            throw ConfigurationError("\(path): \(Self.describe(error))")
        } catch {
            throw ConfigurationError("\(path): \(error)")
        }
    }

    private static func checkKeys(_ node: Yams.Node, at path: String) throws {
        switch node {
        case .mapping(let mapping):
            guard let allowed = schema[path] else { return }
            for (key, value) in mapping {
                guard let name = key.string, allowed.contains(name) else {
                    let location = path.isEmpty ? "top level" : path
                    throw ConfigurationError(
                        "unknown key \"\(key.string ?? "?")\" at \(location); expected one of \(allowed.sorted().joined(separator: ", "))"
                    )
                }
                try checkKeys(value, at: path.isEmpty ? name : "\(path).\(name)")
            }
        case .sequence(let sequence):
            for element in sequence { try checkKeys(element, at: path + "[]") }
        default:
            return
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func location(_ path: [any CodingKey]) -> String {
            path.reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(location(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(location(context.codingPath + [key])): required"
        @unknown default:
            return "\(error)"
        }
    }

    private mutating func resolvePaths(relativeTo directory: String) {
        func resolve(_ path: String?) -> String? {
            guard let path, !path.hasPrefix("/"), !directory.isEmpty else { return path }
            return (directory as NSString).appendingPathComponent(path)
        }
        root = resolve(root)
        if var retention {
            retention.lifecyclePolicies = retention.lifecyclePolicies?.map { scoped in
                var scoped = scoped
                scoped.file = resolve(scoped.file) ?? scoped.file
                return scoped
            }
            self.retention = retention
        }
        if var metadata {
            metadata.path = resolve(metadata.path)
            self.metadata = metadata
        }
        if var tls {
            tls.certificate = resolve(tls.certificate) ?? tls.certificate
            tls.key = resolve(tls.key) ?? tls.key
            self.tls = tls
        }
        if var auth {
            auth.htpasswd = resolve(auth.htpasswd)
            if var token = auth.token {
                token.signingKey = resolve(token.signingKey)
                token.trustedKeys = resolve(token.trustedKeys)
                auth.token = token
            }
            self.auth = auth
        }
        policies = policies?.map { policy in
            var policy = policy
            if let keys = policy.requireSignature?.keys {
                policy.requireSignature?.keys = keys.map { resolve($0) ?? $0 }
            }
            return policy
        }
    }
}

/// A configuration that cannot be used, with a message that says where and why.
struct ConfigurationError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
