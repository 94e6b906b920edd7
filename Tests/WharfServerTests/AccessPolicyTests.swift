import Foundation
import Testing
import WharfServer
import WharfTestSupport

@Suite("Access rules: repository globs, scopes and policies")
struct AccessPolicyTests {
    @Test("repository globs agree with a regular-expression oracle on 20,000 generated cases")
    func globsAgreeWithRegexOracle() throws {
        var generator = SeededGenerator(seed: 0x61CC_E55)
        let patternAlphabet: [String] = ["a", "b", "/", "*", "**", "?", "-", "."]
        let nameAlphabet: [Character] = ["a", "b", "/", "-", "."]
        for _ in 0..<20_000 {
            let pattern = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
                patternAlphabet.randomElement(using: &generator)!
            }.joined()
            let name = String(
                (0..<Int.random(in: 0...8, using: &generator)).map { _ in
                    nameAlphabet.randomElement(using: &generator)!
                })
            let expected =
                try Self.oracle(pattern).firstMatch(
                    in: name, range: NSRange(name.startIndex..., in: name)) != nil
            #expect(
                RepositoryPattern(pattern).matches(name) == expected, "pattern \(pattern) name \(name)")
        }
    }

    @Test("`*` stays within a path component and `**` crosses them")
    func componentSemantics() {
        #expect(RepositoryPattern("team/*").matches("team/app"))
        #expect(!RepositoryPattern("team/*").matches("team/app/api"))
        #expect(RepositoryPattern("team/**").matches("team/app/api"))
        #expect(!RepositoryPattern("team/**").matches("teams/app"))
        #expect(RepositoryPattern("**").matches("any/depth/at/all"))
        #expect(!RepositoryPattern("*").matches("a/b"))
    }

    @Test(
        "only a pull rule on `**` (or anonymous pull, for anonymous clients) means every repository is readable"
    )
    func pullingEveryRepository() {
        #expect(AccessPolicy.authenticatedUsersMayDoAnything.mayPullEveryRepository("anyone"))
        #expect(!AccessPolicy.authenticatedUsersMayDoAnything.mayPullEveryRepository(nil))
        #expect(AccessPolicy(rules: [], anonymousPull: true).mayPullEveryRepository(nil))
        let scoped = AccessPolicy(rules: [
            AccessRule(repositories: "team/**", users: ["alice"], actions: [.pull, .push]),
            AccessRule(repositories: "**", users: ["bob"], actions: [.push]),
            AccessRule(repositories: "**", users: ["carol"], actions: [.pull]),
        ])
        #expect(!scoped.mayPullEveryRepository("alice"), "only under team/")
        #expect(!scoped.mayPullEveryRepository("bob"), "push is not pull")
        #expect(scoped.mayPullEveryRepository("carol"))
    }

    @Test("scopes parse with colons in the repository name and print back unchanged")
    func scopeParsing() throws {
        let scope = try #require(AccessScope(parsing: "repository:localhost:5000/team/app:pull,push"))
        #expect(scope.type == "repository")
        #expect(scope.name == "localhost:5000/team/app")
        #expect(scope.actions == ["pull", "push"])
        #expect(scope.description == "repository:localhost:5000/team/app:pull,push")
        #expect(AccessScope(parsing: "repository:app") == nil)
        #expect(AccessScope(parsing: ":app:pull") == nil)
        #expect(
            AccessScope.parseList("repository:a:pull registry:catalog:*").map(\.description) == [
                "repository:a:pull", "registry:catalog:*",
            ])
    }

    @Test("a user's actions are the union of the rules that apply; anonymous users get pull only if allowed")
    func policyUnion() {
        let policy = AccessPolicy(
            rules: [
                AccessRule(repositories: "team/**", users: ["alice"], actions: [.pull, .push]),
                AccessRule(repositories: "team/app", users: ["alice"], actions: [.delete]),
                AccessRule(repositories: "**", users: ["*"], actions: [.pull]),
            ], anonymousPull: true)
        #expect(policy.actions(for: "alice", on: "team/app") == [.pull, .push, .delete])
        #expect(policy.actions(for: "alice", on: "team/web") == [.pull, .push])
        #expect(policy.actions(for: "bob", on: "team/app") == [.pull])
        #expect(policy.actions(for: nil, on: "team/app") == [.pull])
        #expect(AccessPolicy(rules: policy.rules).actions(for: nil, on: "team/app").isEmpty)
        #expect(
            policy.grant(.repository("team/web", [.pull, .push, .delete]), to: "alice")
                == .repository("team/web", [.pull, .push]))
        #expect(policy.grant(.repository("other", [.push]), to: "bob") == nil)
        #expect(policy.grant(.catalog, to: nil) == .catalog)
        #expect(AccessPolicy(rules: []).grant(.catalog, to: nil) == nil)
    }

    /// `**` → any run, `*` → a run without `/`, `?` → one character other than `/`.
    private static func oracle(_ pattern: String) throws -> NSRegularExpression {
        var regex = "^"
        var index = pattern.startIndex
        while index < pattern.endIndex {
            if pattern[index...].hasPrefix("**") {
                regex += ".*"
                index = pattern.index(index, offsetBy: 2)
                continue
            }
            switch pattern[index] {
            case "*": regex += "[^/]*"
            case "?": regex += "[^/]"
            default: regex += NSRegularExpression.escapedPattern(for: String(pattern[index]))
            }
            index = pattern.index(after: index)
        }
        return try NSRegularExpression(pattern: regex + "$", options: [.dotMatchesLineSeparators])
    }
}
