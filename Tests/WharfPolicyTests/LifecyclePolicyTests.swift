import Foundation
import Testing
import WharfPolicy

/// ECR lifecycle policies: the published examples of the AWS documentation, and ECR's
/// validation.
@Suite("ECR lifecycle policies")
struct LifecyclePolicyTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// An image of the documentation's scenarios: a letter, tags, and an age in days.
    static func image(_ letter: String, _ tags: [String], daysAgo: Double) -> RetentionArtifact {
        RetentionArtifact(
            digest: DigestHasher.digest(of: Array(letter.utf8)), tags: tags,
            pushedAt: now.addingTimeInterval(-daysAgo * 86_400))
    }

    static func expired(_ json: String, _ images: [RetentionArtifact]) throws -> Set<String> {
        let policy = try LifecyclePolicy(json: Data(json.utf8))
        let names = Dictionary(uniqueKeysWithValues: images.map { ($0.digest, $0) })
        return Set(
            policy.expired(images, now: now).keys.compactMap { digest in
                ["A", "B", "C", "D", "E", "F"].first {
                    DigestHasher.digest(of: Array($0.utf8)) == digest && names[digest] != nil
                }
            })
    }

    static func rule(_ priority: Int, _ selection: String) -> String {
        #"{"rulePriority": \#(priority), "description": "Rule \#(priority)", "selection": {\#(selection)}, "action": {"type": "expire"}}"#
    }

    static func policy(_ rules: String...) -> String { #"{"rules": [\#(rules.joined(separator: ", "))]}"# }

    /// The two selector forms of the documentation's examples: today's patterns, and the
    /// prefixes of the 2020–2022 pages; same scenarios, same results.
    enum Form: String, CaseIterable {
        case pattern, prefix
        func tagged(_ names: String...) -> String {
            switch self {
            case .pattern:
                #""tagStatus": "tagged", "tagPatternList": [\#(names.map { "\"\($0)*\"" }.joined(separator: ", "))]"#
            case .prefix:
                #""tagStatus": "tagged", "tagPrefixList": [\#(names.map { "\"\($0)\"" }.joined(separator: ", "))]"#
            }
        }
    }

    static let multipleRulesImages = [
        image("A", ["beta-1", "prod-1"], daysAgo: 10), image("B", ["beta-2", "prod-2"], daysAgo: 9),
        image("C", ["beta-3"], daysAgo: 8),
    ]

    @Test(
        "filtering on multiple rules, examples A and B: an image a rule saw is not expired by a later rule",
        arguments: Form.allCases)
    func multipleRules(form: Form) throws {
        let count = #""countType": "imageCountMoreThan", "countNumber": 1"#
        let a = Self.policy(
            Self.rule(1, form.tagged("prod") + ", " + count), Self.rule(2, form.tagged("beta") + ", " + count)
        )
        #expect(try Self.expired(a, Self.multipleRulesImages) == ["A"])
        let b = Self.policy(
            Self.rule(1, form.tagged("beta") + ", " + count), Self.rule(2, form.tagged("prod") + ", " + count)
        )
        #expect(try Self.expired(b, Self.multipleRulesImages) == ["A", "B"])
    }

    @Test(
        "filtering on multiple tags in a single rule, examples A and B: every pattern must match a tag",
        arguments: Form.allCases)
    func multipleTags(form: Form) throws {
        let images = [
            Self.image("A", ["alpha-1"], daysAgo: 12), Self.image("B", ["beta-1"], daysAgo: 11),
            Self.image("C", ["alpha-2", "beta-2"], daysAgo: 10), Self.image("D", ["alpha-3"], daysAgo: 4),
            Self.image("E", ["beta-3"], daysAgo: 3), Self.image("F", ["alpha-4", "beta-4"], daysAgo: 2),
        ]
        let a = Self.policy(
            Self.rule(
                1,
                form.tagged("alpha", "beta")
                    + #", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 5"#))
        #expect(try Self.expired(a, images) == ["C"])
        let notExclusive = [
            Self.image("A", ["alpha-1", "beta-1", "gamma-1"], daysAgo: 10),
            Self.image("B", ["alpha-2", "beta-2"], daysAgo: 9),
            Self.image("C", ["alpha-3", "beta-3", "gamma-2"], daysAgo: 8),
        ]
        let b = Self.policy(
            Self.rule(
                1, form.tagged("alpha", "beta") + #", "countType": "imageCountMoreThan", "countNumber": 1"#))
        #expect(try Self.expired(b, notExclusive) == ["A", "B"])
    }

    @Test(
        "filtering on all images, examples A and B: any, and all rule types combined",
        arguments: Form.allCases)
    func allImages(form: Form) throws {
        let a = [
            Self.image("A", ["alpha-1"], daysAgo: 4), Self.image("B", ["beta-1"], daysAgo: 3),
            Self.image("C", [], daysAgo: 2), Self.image("D", ["alpha-2"], daysAgo: 1),
        ]
        let any = Self.rule(3, #""tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1"#)
        #expect(try Self.expired(Self.policy(any), a) == ["A", "B", "C"])
        // The documentation pushes D and E "1 day ago", E the newer, both within 24 hours.
        let b = [
            Self.image("A", ["alpha-1", "beta-1"], daysAgo: 4), Self.image("B", [], daysAgo: 3),
            Self.image("C", ["alpha-2"], daysAgo: 2), Self.image("D", ["git hash"], daysAgo: 0.98),
            Self.image("E", [], daysAgo: 0.97),
        ]
        let combined = Self.policy(
            Self.rule(1, form.tagged("alpha") + #", "countType": "imageCountMoreThan", "countNumber": 1"#),
            Self.rule(
                2,
                #""tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 1"#
            ),
            any)
        #expect(try Self.expired(combined, b) == ["A", "B", "D"])
    }

    @Test("filtering on image age and on image count, as the documentation's first examples")
    func ageAndCount() throws {
        let images = [
            Self.image("A", ["prod-1"], daysAgo: 30), Self.image("B", ["prod-2"], daysAgo: 13),
            Self.image("C", ["production"], daysAgo: 15), Self.image("D", ["dev-1"], daysAgo: 40),
            Self.image("E", [], daysAgo: 2), Self.image("F", [], daysAgo: 1),
        ]
        let age = Self.policy(
            Self.rule(
                1,
                #""tagStatus": "tagged", "tagPatternList": ["prod*"], "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14"#
            ))
        #expect(try Self.expired(age, images) == ["A", "C"])
        let count = Self.policy(
            Self.rule(1, #""tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1"#))
        #expect(try Self.expired(count, images) == ["E"])
    }

    @Test("ECR's pattern: only * is special, it may match nothing, and the whole tag must match")
    func patterns() {
        typealias Selection = LifecyclePolicy.Selection
        func matches(_ pattern: String, _ tag: String) -> Bool {
            Selection(
                tagStatus: .tagged, tagPatternList: [pattern], countType: .imageCountMoreThan, countNumber: 1
            )
            .selects(RetentionArtifact(digest: DigestHasher.digest(of: [1]), tags: [tag], pushedAt: Self.now))
        }
        #expect(matches("prod*", "prod") && matches("prod*", "production-team1"))
        #expect(matches("*prod*", "repo-production") && !matches("*prod*", "repo-dev"))
        #expect(matches("latest", "latest") && !matches("latest", "latest-1"))
        #expect(!matches("v?", "v1"), "? is no wildcard")
        #expect(matches("*test*1*2*3", "my-test-1-2-3") && !matches("a*a", "a"))
    }

    @Test(
        "policies ECR refuses are refused, saying where",
        arguments: [
            (#"{"rules": []}"#, "rules"),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}, {"rulePriority": 2, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].rulePriority"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}, {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[1].rulePriority"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPatternList": ["*a*b*c*d*e"], "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.tagPatternList"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 0}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.countNumber"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.countUnit"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.countUnit"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": null, "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.countUnit"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan", "countNumber": 1, "colour": "red"}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.colour"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any", "countType": "sinceImagePulled", "countUnit": "days", "countNumber": 90}, "action": {"type": "transition", "targetStorageClass": "archive"}}]}"#,
                "rules[0].action.type"
            ),
            (
                #"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "sometimes", "countType": "imageCountMoreThan", "countNumber": 1}, "action": {"type": "expire"}}]}"#,
                "rules[0].selection.tagStatus"
            ),
            (#"{"rules": "#, ""),
        ])
    func invalid(json: String, path: String) {
        #expect {
            try LifecyclePolicy(json: Data(json.utf8))
        } throws: { error in
            guard let error = error as? LifecyclePolicyError else { return false }
            return error.path == path || (path.isEmpty && error.path.isEmpty)
        }
    }

    @Test("a policy reads and writes back as the same JSON")
    func roundTrip() throws {
        let json = Self.policy(
            Self.rule(
                1,
                #""tagStatus": "tagged", "tagPrefixList": ["v"], "countType": "imageCountMoreThan", "countNumber": 3"#
            ))
        let policy = try LifecyclePolicy(json: Data(json.utf8))
        let again = try LifecyclePolicy(json: try JSONEncoder().encode(policy))
        #expect(again == policy)
        #expect(policy.rules[0].label == #"rule 1 ("Rule 1")"#)
    }
}
