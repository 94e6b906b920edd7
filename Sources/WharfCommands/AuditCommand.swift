import ArgumentParser
import Foundation
import WharfClient
import WharfMetadata

/// `wharf audit --root DIR`: the audit log of a storage root's registry.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the audit log: pushes, pulls, deletions, tag moves, refusals, logins.",
        discussion: """
            Reads the metadata database `wharf serve` keeps beside the storage (by default \
            ROOT/wharf/metadata.sqlite); safe while the server runs. Pulls and audit events \
            reach the database in batches, within seconds. With --server, asks a running \
            registry's management API instead (needs the admin action).
            """)

    @Option(help: "Ask this registry (HOST[:PORT]) through its management API instead of reading a root.")
    var server: String?

    @OptionGroup var registry: RegistryOptions

    @Option(help: "The storage root.")
    var root = "./wharf-data"

    @Option(help: "The metadata database, if not the root's default.")
    var metadata: String?

    @Option(help: "Only events of this repository.")
    var repository: String?

    @Option(help: "Only events newer than this (e.g. 30m, 24h, 7d).")
    var since: String?

    @Option(
        name: .customLong("action"),
        help:
            "Only these actions (push, pull, delete, tag, refusal, retention, authentication-failure, login)."
    )
    var actions: [String] = []

    @Option(help: "Only events of this user.")
    var principal: String?

    @Option(help: "At most this many events, the oldest first.")
    var limit = 1000

    @Option(help: "Only events after this id (the last id of a previous page).")
    var after: Int64?

    @Flag(help: "Print the events as a JSON array.")
    var json = false

    func run() async throws {
        let events = if let server { try await remoteEvents(server) } else { try await localEvents() }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(events), as: UTF8.self))
            return
        }
        let time = ISO8601DateFormatter()
        var rows = [
            ["ID", "TIME", "ACTION", "OUTCOME", "USER", "CLIENT", "REPOSITORY", "REFERENCE", "DETAIL"]
        ]
        for event in events {
            rows.append([
                event.id.map(String.init) ?? "", time.string(from: event.time), event.action.rawValue,
                event.outcome.rawValue, event.principal ?? "-", event.clientAddress ?? "-",
                event.repository ?? "-",
                event.reference ?? "-", event.detail ?? "",
            ])
        }
        print(TextTable.render(rows), terminator: "")
    }

    private var sinceDate: Date? {
        get throws {
            guard let since else { return nil }
            guard let duration = DurationArgument.parse(since) else {
                throw ValidationError("invalid duration \"\(since)\" (use forms like 90s, 30m, 1h30m, 7d)")
            }
            return Date().addingTimeInterval(-Double(duration.components.seconds))
        }
    }

    private func remoteEvents(_ server: String) async throws -> [AuditEvent] {
        struct Page: Decodable {
            var events: [AuditEvent]
        }
        var query: [(String, String)] = [("limit", String(min(max(limit, 1), 1000)))]
        if let repository { query.append(("repository", repository)) }
        if let principal { query.append(("principal", principal)) }
        if let after { query.append(("after", String(after))) }
        if let since = try sinceDate { query.append(("since", ISO8601DateFormatter().string(from: since))) }
        for action in actions { query.append(("action", action)) }
        let scopes = repository.map { ["repository:\($0):admin"] } ?? ["registry:wharf:admin"]
        let data = try await registry.client(for: server).management("audit", query: query, scopes: scopes)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Page.self, from: data).events
    }

    private func localEvents() async throws -> [AuditEvent] {
        let path = metadata ?? MetadataLoader.defaultPath(root: root)
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError(
                "no metadata database at \(path): `wharf serve` creates it, `wharf metadata rebuild` restores it"
            )
        }
        var query = AuditQuery(limit: limit)
        query.repository = repository
        query.principal = principal
        query.actions = Set(actions.map { AuditAction(rawValue: $0) })
        query.after = after
        query.since = try sinceDate
        return try await SQLiteMetadataStore(path: path).auditEvents(matching: query)
    }
}
