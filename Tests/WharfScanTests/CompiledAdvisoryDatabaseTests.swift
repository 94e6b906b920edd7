import Foundation
import Testing
import WharfScan
import WharfTestSupport

@Suite("Compiled advisory databases")
struct CompiledAdvisoryDatabaseTests {
    /// `count` advisories over a pool of package names in several ecosystems, some with two
    /// affected entries, a few withdrawn: the shapes the public dumps have.
    static func generatedAdvisories(count: Int, seed: UInt64) throws -> [OSVAdvisory] {
        var random = SeededGenerator(seed: seed)
        let ecosystems = ["Debian:12", "Alpine:v3.19", "PyPI", "npm", "Go"]
        func affected(_ ecosystem: String, _ name: String) throws -> OSVAdvisory.Affected {
            let fixed = "1.\(Int.random(in: 0..<20, using: &random)).0"
            return try JSONDecoder().decode(
                OSVAdvisory.Affected.self,
                from: Data(
                    #"{"package":{"ecosystem":"\#(ecosystem)","name":"\#(name)"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"\#(fixed)"}]}]}"#
                        .utf8))
        }
        return try (0..<count).map { number in
            let ecosystem = ecosystems[Int.random(in: 0..<ecosystems.count, using: &random)]
            var entries = [
                try affected(ecosystem, "pkg-\(Int.random(in: 0..<(count / 4 + 1), using: &random))")
            ]
            if Bool.random(using: &random) {
                entries.append(
                    try affected(
                        ecosystems[Int.random(in: 0..<ecosystems.count, using: &random)],
                        "Other_Pkg.\(number % 7)"))
            }
            var advisory = try JSONDecoder().decode(
                OSVAdvisory.self, from: Data(#"{"id":"OSV-\#(number)"}"#.utf8))
            advisory.affected = entries
            advisory.withdrawn = number % 50 == 0 ? "2024-01-01T00:00:00Z" : nil
            return advisory
        }
    }

    static func write(_ advisories: [OSVAdvisory], into directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        for advisory in advisories {
            try encoder.encode(advisory).write(to: URL(fileURLWithPath: "\(directory)/\(advisory.id).json"))
        }
    }

    @Test("a compiled database answers every lookup exactly as the in-memory database does")
    func compiledAgreesWithMemory() throws {
        let advisories = try Self.generatedAdvisories(count: 3_000, seed: 7)
        let directory = try TemporaryDirectory()
        try Self.write(advisories, into: directory.appending("osv"))
        let summary = try AdvisoryDatabase.compile(
            sources: [directory.appending("osv")], to: directory.appending("db"))
        #expect(summary.advisories == 3_000 - 60)
        #expect(summary.withdrawn == 60)
        let compiled = try AdvisoryDatabase.load(path: directory.appending("db"))
        let memory = AdvisoryDatabase(advisories: advisories)
        #expect(compiled.advisoryCount == memory.advisoryCount)
        var lookups = 0
        for ecosystem in ["Debian:12", "Alpine:v3.19", "PyPI", "npm", "Go", "crates.io"] {
            // Every generated name plus names that are absent, and PyPI spellings that
            // normalize to a stored name.
            for name in (0..<760).map({ "pkg-\($0)" }) + (0..<7).map({ "Other_Pkg.\($0)" }) + [
                "other-pkg-3", "zzz",
            ] {
                // Order is not part of the contract (a compile reads files sorted by name).
                func sorted(_ pairs: [(OSVAdvisory, OSVAdvisory.Affected)]) -> [String] {
                    pairs.map { "\($0.0.id) \($0.1.package?.name ?? "") \($0.1.ranges ?? [])" }.sorted()
                }
                let expected = try memory.advisories(ecosystem: ecosystem, name: name)
                let actual = try compiled.advisories(ecosystem: ecosystem, name: name)
                if sorted(actual) != sorted(expected) {
                    Issue.record(
                        "\(ecosystem) \(name): \(sorted(actual).prefix(3)) vs \(sorted(expected).prefix(3))")
                }
                lookups += expected.count
            }
        }
        #expect(lookups > 3_000, "the lookups found the advisories")
        #expect(try compiled.advisories(ecosystem: "PyPI", name: "other-pkg-3").count > 0)
    }

    @Test("several sources combine: a zip and a directory, duplicates of an id counted and skipped")
    func sourcesCombine() async throws {
        let directory = try TemporaryDirectory()
        let advisories = try Self.generatedAdvisories(count: 200, seed: 11)
        try Self.write(Array(advisories[0..<120]), into: directory.appending("first"))
        try Self.write(Array(advisories[100..<200]), into: directory.appending("second"))
        _ = try await shell("cd second && python3 -m zipfile -c ../second.zip *.json", in: directory.path)
        let summary = try AdvisoryDatabase.compile(
            sources: [directory.appending("first"), directory.appending("second.zip")],
            to: directory.appending("db"))
        #expect(summary.duplicates == 20)
        #expect(summary.advisories + summary.withdrawn == 200)
        let database = try AdvisoryDatabase.load(path: directory.appending("db"))
        #expect(database.advisoryCount == summary.advisories)
    }

    @Test("a truncated, damaged or foreign file fails with a clear error and never crashes the reader")
    func damagedFilesFailCleanly() throws {
        let directory = try TemporaryDirectory()
        try Self.write(try Self.generatedAdvisories(count: 300, seed: 3), into: directory.appending("osv"))
        try AdvisoryDatabase.compile(sources: [directory.appending("osv")], to: directory.appending("db"))
        let good = try Data(contentsOf: URL(fileURLWithPath: directory.appending("db")))
        let damagedPath = directory.appending("damaged")

        try good.prefix(good.count - 1).write(to: URL(fileURLWithPath: damagedPath))
        #expect {
            try AdvisoryDatabase.load(path: damagedPath)
        } throws: { "\($0)".contains("truncated") }

        var wrongVersion = good
        wrongVersion[8] = 9
        try wrongVersion.write(to: URL(fileURLWithPath: damagedPath))
        #expect {
            try AdvisoryDatabase.load(path: damagedPath)
        } throws: { "\($0)".contains("rebuild") }

        // Random damage anywhere: every lookup either answers or throws a ScanError.
        var random = SeededGenerator(seed: 99)
        var errors = 0
        for _ in 0..<300 {
            var damaged = good
            for _ in 0..<4 {
                damaged[Int.random(in: 12..<damaged.count, using: &random)] = UInt8.random(
                    in: 0...255, using: &random)
            }
            try damaged.write(to: URL(fileURLWithPath: damagedPath))
            do {
                let database = try AdvisoryDatabase.load(path: damagedPath)
                for name in (0..<80).map({ "pkg-\($0)" }) {
                    for ecosystem in ["Debian:12", "npm", "PyPI"] {
                        _ = try database.advisories(ecosystem: ecosystem, name: name)
                    }
                }
            } catch is ScanError {
                errors += 1
            }
        }
        #expect(errors > 0, "some damage was noticed")
    }
}
