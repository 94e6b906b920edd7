import Foundation
import Testing
import WharfScan
import WharfTestSupport

@Suite("PEP 440 versions", .tags(.interop), .enabled(if: PythonModule.packaging.shouldRun))
struct PEP440Tests {
    @Test("validity, normal form and order agree with Python's packaging on 3,000 generated versions")
    func agreesWithPackaging() async throws {
        var generator = SeededGenerator(seed: 440)
        let releases = ["1", "1.0", "1.0.0", "0.9", "2.1.3", "1.10", "1.2", "01.2", "2024.1", "1.0.0.0"]
        let suffixes = [
            "", "a1", "b2", "rc1", "c1", "alpha", "beta3", "pre4", "preview5", ".a1", "-rc.2", "_b3",
            ".post1", "-1", "post2", "rev3", "r4", ".dev0", "dev", ".dev5", "a1.dev2", "rc1.post1",
            ".post1.dev1",
            "+local", "+ubuntu.1", "+1.2.abc", "+", "x", "..1", "a", "-post", ".post", "+Ubuntu-1_2",
        ]
        let prefixes = ["", "", "", "v", "1!", "V", " "]
        var versions: [String] = []
        for _ in 0..<3000 {
            var text = prefixes.randomElement(using: &generator)! + releases.randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...2, using: &generator) {
                text += suffixes.randomElement(using: &generator)!
            }
            versions.append(text)
        }
        let directory = try TemporaryDirectory()
        try versions.joined(separator: "\n").write(
            toFile: directory.appending("versions"), atomically: true, encoding: .utf8)
        let script = """
            from packaging.version import Version, InvalidVersion
            import functools
            lines = open("versions").read().split("\\n")
            parsed = []
            for line in lines:
                try:
                    v = Version(line); parsed.append(v); print(str(v))
                except InvalidVersion:
                    parsed.append(None); print("!")
            valid = [v for v in parsed if v is not None]
            for a, b in zip(valid, valid[1:] + valid[:1]):
                print(-1 if a < b else (0 if a == b else 1))
            """
        try script.write(toFile: directory.appending("oracle.py"), atomically: true, encoding: .utf8)
        let output = String(decoding: try await shell("python3 oracle.py", in: directory.path), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var disagreements: [String] = []
        var valid: [PEP440Version] = []
        for (index, text) in versions.enumerated() {
            let ours = PEP440Version(text)
            let theirs = output[index]
            if (ours == nil) != (theirs == "!") {
                disagreements.append(
                    "\(text.debugDescription): packaging \(theirs), wharf \(ours.map { "\($0)" } ?? "invalid")"
                )
            } else if let ours {
                if ours.description != theirs {
                    disagreements.append("\(text.debugDescription): normal form \(theirs) vs \(ours)")
                }
                valid.append(ours)
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(12))")
        let orders = output[versions.count...].prefix(valid.count)
        for ((a, b), expected) in zip(zip(valid, valid.dropFirst() + valid.prefix(1)), orders) {
            let ours = a < b ? "-1" : (a == b ? "0" : "1")
            if ours != expected { disagreements.append("\(a) vs \(b): packaging \(expected), wharf \(ours)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(12))")
        #expect(valid.count > 1000, "enough valid versions were generated (\(valid.count))")
    }
}
