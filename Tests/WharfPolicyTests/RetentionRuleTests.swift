import Foundation
import Testing
import WharfPolicy

/// Harbor's retention: its selectors, templates and OR combination, on the cases of Harbor's
/// own unit tests, end-to-end test and documentation.
@Suite("Harbor-style retention rules")
struct RetentionRuleTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)
    static let day = 86_400.0

    static func artifact(
        _ name: String, _ tags: [String], pushedDaysAgo: Double = 1, pulledDaysAgo: Double? = nil
    ) -> RetentionArtifact {
        RetentionArtifact(
            digest: DigestHasher.digest(of: Array(name.utf8)), tags: tags,
            pushedAt: now.addingTimeInterval(-pushedDaysAgo * day),
            lastPulledAt: pulledDaysAgo.map { now.addingTimeInterval(-$0 * day) })
    }

    static func keptCount(_ template: RetentionTemplate, _ artifacts: [RetentionArtifact]) -> Int {
        RetentionRule(repositories: "**", template: template).kept(of: artifacts, now: now).count
    }

    @Test(
        "nDaysSinceLastPull on Harbor's unit-test pulls (1…30 days ago, plus an hour): 0,1,2,3,4,5,6,8 kept")
    func daysSincePull() {
        let pulled = [1, 2, 3, 4, 5, 10, 20, 30].map { days in
            Self.artifact("\(days)", ["t\(days)"], pulledDaysAgo: Double(days) - 1 / 24)
        }
        for (days, expected) in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (15, 6), (90, 8)] {
            #expect(Self.keptCount(.nDaysSinceLastPull(days), pulled) == expected, "n = \(days)")
            let pushed = pulled.map {
                RetentionArtifact(digest: $0.digest, tags: $0.tags, pushedAt: $0.lastPulledAt ?? Self.now)
            }
            #expect(Self.keptCount(.nDaysSinceLastPush(days), pushed) == expected, "push, n = \(days)")
        }
        // The boundary is included: exactly n days ago is within n days.
        #expect(Self.keptCount(.nDaysSinceLastPull(7), [Self.artifact("x", ["x"], pulledDaysAgo: 7)]) == 1)
        #expect(
            Self.keptCount(.nDaysSinceLastPull(3650), [Self.artifact("never", ["n"])]) == 0, "never pulled")
    }

    @Test("latestPushedK and latestPulledN keep the newest; never-pulled artifacts come last but count")
    func latest() {
        let artifacts =
            (0..<5).map {
                Self.artifact("\($0)", ["t\($0)"], pushedDaysAgo: Double($0), pulledDaysAgo: Double($0))
            }
            + [Self.artifact("never", ["n"], pushedDaysAgo: 0.5)]
        let pushed = RetentionRule(repositories: "**", template: .latestPushedK(2)).kept(
            of: artifacts, now: Self.now)
        #expect(Set(pushed.flatMap(\.tags)) == ["t0", "n"])
        let pulled = RetentionRule(repositories: "**", template: .latestPulledN(5)).kept(
            of: artifacts, now: Self.now)
        #expect(Set(pulled.flatMap(\.tags)) == ["t0", "t1", "t2", "t3", "t4"])
        #expect(Self.keptCount(.latestPulledN(6), artifacts) == 6)
        #expect(Self.keptCount(.latestPushedK(0), artifacts) == 0)
    }

    @Test("selectors: matches if any tag matches, excludes if any tag is not excluded, untagged as chosen")
    func selectors() {
        let both = Self.artifact("both", ["v1", "latest"])
        let latest = Self.artifact("latest", ["latest"])
        let untagged = Self.artifact("untagged", [])
        func selects(_ rule: RetentionRule, _ artifact: RetentionArtifact) -> Bool { rule.selects(artifact) }
        let excludeLatest = RetentionRule(
            repositories: "**", excludedTags: ["latest"], untagged: false, template: .always)
        #expect(selects(excludeLatest, both), "v1 is not excluded")
        #expect(!selects(excludeLatest, latest) && !selects(excludeLatest, untagged))
        let matchV = RetentionRule(repositories: "**", tags: ["v*"], template: .always)
        #expect(selects(matchV, both) && !selects(matchV, latest) && selects(matchV, untagged))
        #expect(
            !selects(
                RetentionRule(repositories: "**", tags: ["v*"], untagged: false, template: .always), untagged)
        )
    }

    @Test("Harbor's end-to-end test: always on latest* everywhere, always on everything in test3*")
    func harborEndToEnd() throws {
        let policy = RetentionPolicy(rules: [
            RetentionRule(repositories: "**", tags: ["latest*"], template: .always),
            RetentionRule(repositories: "test3*", tags: ["**"], template: .always),
        ])
        let test1 = [Self.artifact("1.0", ["1.0"]), Self.artifact("2.0", ["2.0"]), Self.artifact("u", [])]
        #expect(
            Set(try #require(policy.removals(in: "test1", artifacts: test1, now: Self.now)).keys)
                == [test1[0].digest, test1[1].digest])
        let test2 = [Self.artifact("2-1.0", ["1.0"]), Self.artifact("2-latest", ["latest"])]
        #expect(
            Set(try #require(policy.removals(in: "test2", artifacts: test2, now: Self.now)).keys) == [
                test2[0].digest
            ])
        #expect(
            try #require(
                policy.removals(in: "test3", artifacts: [Self.artifact("3", ["1.0"])], now: Self.now)
            ).isEmpty)
        #expect(
            try #require(
                policy.removals(in: "test4", artifacts: [Self.artifact("4", ["1.0"])], now: Self.now)
            ).count == 1)
        #expect(
            RetentionPolicy(rules: [policy.rules[1]]).removals(in: "other", artifacts: test2, now: Self.now)
                == nil)
    }

    @Test(
        "Harbor's documentation examples 1 to 4: 102 artifacts pulled this week in A, 7 unpulled this month in B to E"
    )
    func harborDocumentation() throws {
        var repositories: [String: [RetentionArtifact]] = [:]
        repositories["A"] =
            (0..<100).map { Self.artifact("A\($0)", ["a\($0)"], pulledDaysAgo: Double($0 % 6) + 0.5) }
            + (0..<2).map { Self.artifact("Au\($0)", [], pulledDaysAgo: 2) }
        for name in ["B", "C", "D", "E"] {
            repositories[name] =
                (0..<6).map { Self.artifact("\(name)\($0)", ["t\($0)"], pulledDaysAgo: 40 + Double($0)) }
                + [Self.artifact("\(name)u", [], pulledDaysAgo: 45)]
        }
        func kept(_ rules: [RetentionRule]) throws -> [String: Int] {
            let policy = RetentionPolicy(rules: rules)
            return try repositories.mapValues { artifacts in
                artifacts.count
                    - (try #require(policy.removals(in: "r", artifacts: artifacts, now: Self.now))).count
            }
        }
        let pulledTen = RetentionRule(
            repositories: "**", tags: ["**"], untagged: false, template: .latestPulledN(10))
        let pulledWeek = RetentionRule(
            repositories: "**", tags: ["**"], untagged: false, template: .nDaysSinceLastPull(7))
        var pulledWeekUntagged = pulledWeek
        pulledWeekUntagged.untagged = true
        let one = try kept([pulledTen])
        #expect(one == ["A": 10, "B": 6, "C": 6, "D": 6, "E": 6] && one.values.reduce(0, +) == 34)
        #expect(try kept([pulledWeek]) == ["A": 100, "B": 0, "C": 0, "D": 0, "E": 0])
        #expect(try kept([pulledWeekUntagged]) == ["A": 102, "B": 0, "C": 0, "D": 0, "E": 0])
        #expect(try kept([pulledWeek, pulledTen]) == ["A": 100, "B": 6, "C": 6, "D": 6, "E": 6])
    }
}
