import Foundation
import Testing
import WharfScan
import WharfTestSupport

@Suite("CVSS v4.0 scores")
struct CVSSv4Tests {
    static let baseMetrics: [(String, [String])] = [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]),
        ("UI", ["N", "P", "A"]), ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]),
        ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"]),
    ]
    static let otherMetrics: [(String, [String])] = [
        ("E", ["X", "A", "P", "U"]), ("CR", ["X", "H", "M", "L"]), ("IR", ["X", "H", "M", "L"]),
        ("AR", ["X", "H", "M", "L"]), ("MAV", ["X", "N", "A", "L", "P"]), ("MAC", ["X", "L", "H"]),
        ("MAT", ["X", "N", "P"]), ("MPR", ["X", "N", "L", "H"]), ("MUI", ["X", "N", "P", "A"]),
        ("MVC", ["X", "H", "L", "N"]), ("MVI", ["X", "H", "L", "N"]), ("MVA", ["X", "H", "L", "N"]),
        ("MSC", ["X", "H", "L", "N"]), ("MSI", ["X", "S", "H", "L", "N"]),
        ("MSA", ["X", "S", "H", "L", "N"]),
        ("S", ["X", "N", "P"]), ("AU", ["X", "N", "Y"]), ("R", ["X", "A", "U", "I"]), ("V", ["X", "D", "C"]),
        ("RE", ["X", "L", "M", "H"]), ("U", ["X", "Clear", "Green", "Amber", "Red"]),
    ]

    /// Every base vector: the product of all base metric values (104,976).
    static func allBaseVectors() -> [String] {
        var vectors = ["CVSS:4.0"]
        for (name, values) in baseMetrics {
            vectors = vectors.flatMap { prefix in values.map { "\(prefix)/\(name):\($0)" } }
        }
        return vectors
    }

    /// Scores of `vectors` by the Python `cvss` library, FIRST's algorithm reimplemented
    /// independently of this one.
    static func oracleScores(_ vectors: [String]) async throws -> [Double] {
        let directory = try TemporaryDirectory()
        try vectors.joined(separator: "\n").write(
            toFile: directory.appending("vectors"), atomically: true, encoding: .utf8)
        let output = try await shell(
            "python3 -c 'from cvss import CVSS4\nfor line in open(\"vectors\"): print(CVSS4(line.strip()).base_score)'",
            in: directory.path)
        return String(decoding: output, as: UTF8.self).split(separator: "\n").compactMap { Double($0) }
    }

    @Test(
        "scores agree with the Python `cvss` library on all 104,976 base vectors",
        .tags(.interop), .enabled(if: PythonModule.cvss.shouldRun))
    func baseVectorsAgreeWithOracle() async throws {
        let vectors = Self.allBaseVectors()
        #expect(vectors.count == 104_976)
        let expected = try await Self.oracleScores(vectors)
        try #require(expected.count == vectors.count)
        let mismatches = zip(vectors, expected).filter { CVSSv4.score($0.0) != $0.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
    }

    @Test(
        "scores agree with the oracle on 5,000 vectors with random threat, environmental and supplemental metrics",
        .tags(.interop), .enabled(if: PythonModule.cvss.shouldRun))
    func fullVectorsAgreeWithOracle() async throws {
        var random = SeededGenerator(seed: 40)
        let vectors = (0..<5_000).map { _ in
            var vector = "CVSS:4.0"
            for (name, values) in Self.baseMetrics {
                vector += "/\(name):\(values.randomElement(using: &random)!)"
            }
            for (name, values) in Self.otherMetrics where Int.random(in: 0..<3, using: &random) > 0 {
                vector += "/\(name):\(values.randomElement(using: &random)!)"
            }
            return vector
        }
        let expected = try await Self.oracleScores(vectors)
        try #require(expected.count == vectors.count)
        let mismatches = zip(vectors, expected).filter { CVSSv4.score($0.0) != $0.1 }
        #expect(mismatches.isEmpty, "\(mismatches.count) differ, e.g. \(mismatches.prefix(5))")
    }

    @Test("well-known vectors score as FIRST's calculator shows, and malformed vectors have no score")
    func knownAndMalformedVectors() {
        let full = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
        #expect(CVSSv4.score(full) == 9.3)
        #expect(CVSSv4.score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N") == 0)
        #expect(CVSSv4.score(full + "/E:U") == 8.1, "unreported exploitation lowers the score")
        for malformed in [
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  // another version
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",  // SA missing
            full + "/AV:L",  // a metric twice
            "CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",  // no such value
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",  // S only in MSI
            full + "/XX:Y", full + "/", "", "CVSS:4.0",
        ] {
            #expect(CVSSv4.score(malformed) == nil, "\(malformed)")
        }
    }
}
