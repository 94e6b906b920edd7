import Benchmark
import Foundation
import NIOCore
import WharfPolicy

/// Retention over 100,000 artifacts (1,000 repositories of 100, a quarter untagged, each
/// with a push and most with a pull in a metadata store), the issue's target being under
/// 10 s: the judging alone, and a whole dry run of `RetentionRunner` over storage (the
/// in-memory driver: reading every manifest, its links and its record, judging, planning).
let benchmarks: @Sendable () -> Void = {
    let policy = RetentionPolicy(rules: [
        RetentionRule(repositories: "**", tags: ["v*"], template: .always),
        RetentionRule(
            repositories: "**", excludedTags: ["v*"], untagged: false, template: .latestPushedK(10)),
        RetentionRule(repositories: "**", template: .nDaysSinceLastPull(30)),
    ])
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .peakMemoryResident], timeUnits: .milliseconds,
        maxDuration: .seconds(60), maxIterations: 5)

    Benchmark("Judge 100,000 artifacts (Harbor rules)", configuration: configuration) {
        (benchmark: Benchmark, fixture: [String: [RetentionArtifact]]) in
        for _ in benchmark.scaledIterations {
            var removed = 0
            for (repository, artifacts) in fixture {
                removed += policy.removals(in: repository, artifacts: artifacts, now: History.now)?.count ?? 0
            }
            blackHole(removed)
        }
    } setup: {
        History.artifacts()
    }

    Benchmark("Dry run over 100,000 stored artifacts", configuration: configuration) {
        (benchmark: Benchmark, fixture: History) in
        for _ in benchmark.scaledIterations {
            let report = try await RetentionRunner(
                store: fixture.store, policy: policy, metadata: fixture.metadata
            )
            .run(RetentionOptions(dryRun: true, grace: .zero, now: History.now))
            precondition(report.artifacts == 100_000)
            blackHole(report)
        }
    } setup: {
        try await History.stored()
    }
}

struct History: Sendable {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    let store: RegistryStore
    let metadata: InMemoryMetadataStore

    static func tags(_ repository: Int, _ index: Int) -> [String] {
        switch index % 4 {
        case 0: []
        case 1: ["v\(index)"]
        default: ["ci-\(index)"]
        }
    }

    static func pushed(_ repository: Int, _ index: Int) -> Date {
        now.addingTimeInterval(-Double((repository * 7_919 + index * 104_729) % (400 * 86_400)))
    }

    static func artifacts() -> [String: [RetentionArtifact]] {
        var result: [String: [RetentionArtifact]] = [:]
        for repository in 0..<1000 {
            result["team\(repository % 10)/app\(repository)"] = (0..<100).map { index in
                RetentionArtifact(
                    digest: DigestHasher.digest(of: Array("\(repository)/\(index)".utf8)),
                    tags: tags(repository, index), pushedAt: pushed(repository, index),
                    lastPulledAt: index % 3 == 0 ? nil : pushed(repository, index).addingTimeInterval(86_400))
            }
        }
        return result
    }

    static func stored() async throws -> History {
        let store = RegistryStore(driver: InMemoryDriver())
        let metadata = InMemoryMetadataStore()
        for repository in 0..<1000 {
            let target = try store.repository("team\(repository % 10)/app\(repository)")
            var pulls: [PullRecord] = []
            for index in 0..<100 {
                let config = Array(
                    #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"comment":"\#(repository) \#(index)"}"#
                        .utf8)
                let descriptor = Descriptor(mediaType: .ociConfig, bytes: config)
                try await target.push(descriptor, content: ByteStream(ByteBuffer(bytes: config)))
                let manifest = try ManifestDocument(ImageManifest(config: descriptor, layers: []))
                let tags = tags(repository, index)
                try await target.putManifest(
                    ByteBuffer(bytes: manifest.bytes), mediaType: .ociManifest,
                    reference: tags.first ?? manifest.descriptor.digest.description)
                try await metadata.recordPush(
                    PushRecord(
                        repository: target.name, digest: manifest.descriptor.digest, mediaType: .ociManifest,
                        size: manifest.descriptor.size, at: pushed(repository, index)))
                if index % 3 != 0 {
                    pulls.append(
                        PullRecord(
                            repository: target.name, digest: manifest.descriptor.digest,
                            at: pushed(repository, index).addingTimeInterval(86_400)))
                }
            }
            try await metadata.recordPulls(pulls)
        }
        return History(store: store, metadata: metadata)
    }
}
