import Foundation
import Testing
import WharfPolicy
import WharfTestSupport

/// Retention over a generated history (2,000 artifacts in 50 repositories, pushed and
/// pulled over 400 simulated days), checked against an independent model in Python for
/// each of Harbor's templates and for an ECR lifecycle policy.
@Suite(
    "Retention over a generated history agrees with an independent model", .tags(.interop),
    .enabled(if: PythonModule("json", pipPackage: "(Python's standard library)").shouldRun))
struct RetentionSimulationTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let day = 86_400.0

    static let immutable = TagImmutability(rules: [
        ImmutableTagRule(repositories: "legacy/**", tags: ["v1.*"]),
        ImmutableTagRule(repositories: "team1/**", tags: ["release-*"]),
    ])

    static func lifecycle() throws -> LifecyclePolicy {
        try LifecyclePolicy(
            json: Data(
                #"""
                {"rules": [
                  {"rulePriority": 1, "description": "keep 6 releases",
                   "selection": {"tagStatus": "tagged", "tagPatternList": ["v*"], "countType": "imageCountMoreThan", "countNumber": 6},
                   "action": {"type": "expire"}},
                  {"rulePriority": 2, "description": "CI builds for 14 days",
                   "selection": {"tagStatus": "tagged", "tagPrefixList": ["ci-"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14},
                   "action": {"type": "expire"}},
                  {"rulePriority": 3, "description": "untagged for a week",
                   "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
                   "action": {"type": "expire"}},
                  {"rulePriority": 4, "description": "anything not pulled for 120 days",
                   "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 120},
                   "action": {"type": "expire"}}
                ]}
                """#.utf8))
    }

    /// One policy per template, one ECR policy, and all of them together.
    static func policies() throws -> [(String, RetentionPolicy)] {
        let lifecycle = try lifecycle()
        return [
            (
                "latestPushedK",
                RetentionPolicy(rules: [
                    RetentionRule(
                        repositories: "**", tags: ["v*", "release-*"], excludedTags: ["*-rc*"],
                        untagged: false,
                        template: .latestPushedK(7))
                ])
            ),
            (
                "latestPulledN",
                RetentionPolicy(rules: [RetentionRule(repositories: "team*/**", template: .latestPulledN(10))]
                )
            ),
            (
                "nDaysSinceLastPush",
                RetentionPolicy(rules: [
                    RetentionRule(repositories: "ci/**", template: .nDaysSinceLastPush(14))
                ])
            ),
            (
                "nDaysSinceLastPull",
                RetentionPolicy(rules: [
                    RetentionRule(
                        repositories: "**", tags: ["**"], untagged: false, template: .nDaysSinceLastPull(90))
                ])
            ),
            (
                "always",
                RetentionPolicy(rules: [
                    RetentionRule(repositories: "team*/**", tags: ["v*"], template: .always)
                ])
            ),
            (
                "ecr",
                RetentionPolicy(lifecyclePolicies: [
                    ScopedLifecyclePolicy(repositories: "legacy/**", policy: lifecycle)
                ])
            ),
            (
                "combined",
                RetentionPolicy(
                    rules: [
                        RetentionRule(repositories: "team*/**", tags: ["v*"], template: .always),
                        RetentionRule(
                            repositories: "team*/**", excludedTags: ["v*"], untagged: false,
                            template: .latestPushedK(5)),
                        RetentionRule(repositories: "team*/**", template: .nDaysSinceLastPull(30)),
                        RetentionRule(repositories: "ci/**", template: .nDaysSinceLastPush(14)),
                        RetentionRule(
                            repositories: "ci/**", tags: ["release-*"], template: .latestPulledN(3)),
                    ],
                    lifecyclePolicies: [ScopedLifecyclePolicy(repositories: "legacy/**", policy: lifecycle)])
            ),
        ]
    }

    /// 50 repositories of 40 artifacts: Harbor-governed team and CI repositories, ECR-governed
    /// legacy ones, and prod ones nothing governs; tags of every kind, untagged artifacts,
    /// pushes on exact day boundaries, pulls or none.
    static func makeHistory() async throws -> RetentionFixture {
        var fixture = RetentionFixture(immutableTags: immutable)
        var random = SeededGenerator(seed: 14)
        let repositories =
            (0..<15).map { "team\($0 % 3)/app\($0)" } + (0..<15).map { "ci/build\($0)" }
            + (0..<12).map { "legacy/svc\($0)" } + (0..<8).map { "prod/app\($0)" }
        for repository in repositories {
            for index in 0..<40 {
                var pushed = now.addingTimeInterval(
                    -Double(Int.random(in: 0..<(400 * 86_400), using: &random)))
                if index % 13 == 0 {
                    // Exactly on the boundaries the policies name.
                    pushed = now.addingTimeInterval(-Double([7, 14, 90, 120][index % 4]) * day)
                }
                let tags: [String] =
                    switch Int.random(in: 0..<20, using: &random) {
                    case 0..<5: []
                    case 5..<10: ["v\(index % 3).\(index)"]
                    case 10..<13: ["ci-\(index)"]
                    case 13..<15: ["release-\(index)"]
                    case 15..<17: ["v\(index % 2).\(index)", "latest-\(index)"]
                    case 17: ["v2.\(index)-rc1"]
                    default: ["pr-\(index)", "ci-pr-\(index)"]
                    }
                var pulled: Date?
                if Int.random(in: 0..<10, using: &random) < 6 {
                    let since = Int(now.timeIntervalSince(pushed))
                    pulled = now.addingTimeInterval(
                        -Double(Int.random(in: 0...max(0, since), using: &random)))
                    if index % 17 == 0 { pulled = now.addingTimeInterval(-90 * day) }  // an exact boundary
                }
                try await fixture.add(
                    repository, name: "\(index)", tags: tags, pushedAt: pushed, lastPulledAt: pulled)
            }
        }
        return fixture
    }

    /// What the Python model removes.
    static func modelled(_ policy: RetentionPolicy, _ fixture: RetentionFixture) async throws -> Set<String> {
        struct Rule: Encodable {
            var repositories: String
            var tags: [String]
            var excludedTags: [String]
            var untagged: Bool
            var template: String
            var parameter: Int?
        }
        struct Scoped: Encodable {
            var repositories: String
            var policy: LifecyclePolicy
        }
        struct Immutable: Encodable {
            var repositories: String
            var tags: [String]
            var exclude: [String]
        }
        struct Document: Encodable {
            var now: Int
            var artifacts: [RetentionFixture.Artifact]
            var rules: [Rule]
            var lifecyclePolicies: [Scoped]
            var immutable: [Immutable]
        }
        let document = Document(
            now: Int(now.timeIntervalSince1970), artifacts: fixture.artifacts,
            rules: policy.rules.map {
                Rule(
                    repositories: $0.repositories.pattern, tags: $0.tags.map(\.pattern),
                    excludedTags: $0.excludedTags.map(\.pattern), untagged: $0.untagged,
                    template: $0.template.id,
                    parameter: $0.template.parameter)
            },
            lifecyclePolicies: policy.lifecyclePolicies.map {
                Scoped(repositories: $0.repositories.pattern, policy: $0.policy)
            },
            immutable: immutable.rules.map {
                Immutable(
                    repositories: $0.repositories.pattern, tags: $0.tags.map(\.pattern),
                    exclude: $0.exclude.map(\.pattern))
            })
        let directory = try TemporaryDirectory()
        let input = directory.appending("history.json")
        try JSONEncoder().encode(document).write(to: URL(fileURLWithPath: input))
        let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Oracles/retention_model.py"
        ).path
        let output = try await ProcessRunner.run("/usr/bin/env", ["python3", model, input])
        return Set(output.split(separator: "\n").map(String.init))
    }

    static func removed(_ report: RetentionReport) -> Set<String> {
        Set(report.removed.map { "\($0.repository)@\($0.digest)" })
    }

    @Test("each template and the ECR policy remove exactly what the model removes (dry runs)")
    func templates() async throws {
        let fixture = try await Self.makeHistory()
        #expect(fixture.artifacts.count == 2000)
        for (name, policy) in try Self.policies() {
            let runner = RetentionRunner(store: fixture.store, policy: policy, metadata: fixture.metadata)
            let report = try await runner.run(RetentionOptions(dryRun: true, grace: .zero, now: Self.now))
            let expected = try await Self.modelled(policy, fixture)
            #expect(!expected.isEmpty, "\(name): the history exercises the policy")
            #expect(expected.count < 2000, "\(name): the policy keeps something")
            #expect(
                Self.removed(report) == expected,
                "\(name): \(Self.removed(report).symmetricDifference(expected).sorted().prefix(5))")
        }
    }

    @Test("a real run removes what its dry run listed, nothing else, and nothing an immutable tag holds")
    func realRun() async throws {
        let fixture = try await Self.makeHistory()
        let policy = try #require(try Self.policies().first { $0.0 == "combined" }?.1)
        let before = try await fixture.stored()
        let runner = RetentionRunner(store: fixture.store, policy: policy, metadata: fixture.metadata)
        let options = RetentionOptions(grace: .zero, now: Self.now)
        var dryOptions = options
        dryOptions.dryRun = true
        let dry = try await runner.run(dryOptions)
        #expect(try await fixture.stored() == before, "a dry run removes nothing")
        let real = try await runner.run(options)
        let expected = try await Self.modelled(policy, fixture)
        #expect(Self.removed(dry) == expected)
        #expect(Self.removed(real) == Self.removed(dry))
        #expect(real.errors.isEmpty)
        #expect(
            try await fixture.stored() == before.subtracting(expected), "exactly the expected set is gone")
        #expect(
            real.protected.contains { $0.reason.contains("immutable") }, "immutability held something back")
        let second = try await runner.run(dryOptions)
        #expect(second.removed.isEmpty, "a second run finds nothing more to remove")
    }
}
