import Foundation
import Testing
import WharfTestSupport

@testable import WharfScan

@Suite("Declared licenses")
struct LicenseTests {
    @Test(
        "declared names convert to SPDX as SPDX ids, DEP-5 short names and trove classifiers mean",
        arguments: [
            ("MIT", "MIT"), ("mit", "MIT"), ("Expat", "MIT"), ("GPL-2", "GPL-2.0-only"),
            ("GPL-2+", "GPL-2.0-or-later"), ("LGPL-2.1+", "LGPL-2.1-or-later"),
            ("GPL-3.0+", "GPL-3.0-or-later"),
            ("BSD-3-clause", "BSD-3-Clause"), ("GPL-2+ or Artistic", "GPL-2.0-or-later OR Artistic-1.0-Perl"),
            ("(MIT OR Apache-2.0) AND BSD-2-Clause", "(MIT OR Apache-2.0) AND BSD-2-Clause"),
            ("Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception"),
            ("GPL-2.0-or-later WITH GCC-exception-3.1", "GPL-2.0-or-later WITH GCC-exception-3.1"),
            ("MIT License", "MIT"), ("Apache Software License", "Apache-2.0"),
            ("GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"), ("ISC+", "ISC+"),
            ("MIT, BSD-3-Clause", "MIT AND BSD-3-Clause"),
        ])
    func converts(declared: String, expected: String) {
        #expect(SPDXLicense.expression(for: declared) == expected)
    }

    @Test(
        "names outside the list, and broken expressions, stay names",
        arguments: [
            "public-domain", "MIT AND", "(MIT", "MIT)", "MIT OR OR GPL-2", "Foo-1.0", "", "MIT WITH MIT",
        ])
    func staysAName(declared: String) {
        #expect(SPDXLicense.expression(for: declared) == nil)
    }

    @Test("several licenses join with AND; the unknown ones become LicenseRefs the document defines")
    func declaredExpressions() throws {
        let declared = try #require(
            SPDXLicense.declaredExpression([
                "GPL-2+", "public domain", "BSD-3-clause or GPL-2", "Expat", "MIT",
            ]))
        #expect(
            declared.expression
                == "GPL-2.0-or-later AND LicenseRef-public-domain AND (BSD-3-Clause OR GPL-2.0-only) AND MIT")
        #expect(declared.references.map(\.id) == ["LicenseRef-public-domain"])
        #expect(declared.references.map(\.name) == ["public domain"])
        #expect(SPDXLicense.declaredExpression([]) == nil)
        #expect(SPDXLicense.declaredExpression(["MIT OR Apache-2.0"])?.expression == "MIT OR Apache-2.0")
    }

    @Test(
        "every identifier and expression Wharf writes is valid on the SPDX list license-expression ships",
        .tags(.interop), .enabled(if: PythonModule.spdxTools.shouldRun))
    func identifiersAreOnTheSPDXList() async throws {
        let expressions =
            SPDXLicense.knownIdentifiers + SPDXLicense.exceptions.map { "GPL-2.0-or-later WITH \($0)" }
            + SPDXLicense.aliases.keys.sorted().compactMap(SPDXLicense.expression(for:))
        let directory = try TemporaryDirectory()
        try expressions.joined(separator: "\n").write(
            toFile: directory.appending("expressions"), atomically: true, encoding: .utf8)
        let script = """
            import license_expression
            licensing = license_expression.get_spdx_licensing()
            for line in open("expressions"):
                result = licensing.validate(line.strip(), strict=True)
                if result.errors: print(line.strip(), result.errors)
            """
        try script.write(toFile: directory.appending("check.py"), atomically: true, encoding: .utf8)
        let output = try await shell("python3 check.py", in: directory.path)
        #expect(String(decoding: output, as: UTF8.self) == "", "rejected by the SPDX list")
        #expect(expressions.count > 100)
    }

    @Test(
        "license names of this machine's DEP-5 copyright files agree with python-debian's parser",
        .tags(.interop),
        .enabled(
            if: PythonModule.pythonDebian.shouldRun
                && FileManager.default.fileExists(atPath: "/usr/share/doc")))
    func debianCopyrightFiles() async throws {
        let directory = try TemporaryDirectory()
        let script = """
            import glob, json
            from debian import copyright
            result = {}
            for path in sorted(glob.glob("/usr/share/doc/*/copyright")):
                try:
                    with open(path, encoding="utf-8", errors="replace") as handle:
                        parsed = copyright.Copyright(handle, strict=False)
                except Exception:
                    continue
                names = []
                paragraphs = [parsed.header] + list(parsed.all_paragraphs())
                for paragraph in paragraphs:
                    license = getattr(paragraph, "license", None)
                    if license is not None and license.synopsis and license.synopsis not in names:
                        names.append(license.synopsis)
                result[path] = names
            print(json.dumps(result))
            """
        try script.write(toFile: directory.appending("parse.py"), atomically: true, encoding: .utf8)
        let expected = try JSONDecoder().decode(
            [String: [String]].self, from: Data(try await shell("python3 parse.py", in: directory.path)))
        try #require(expected.count >= 50, "this machine has DEP-5 copyright files")
        var compared = 0
        for (path, names) in expected {
            let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
            let mine = DpkgCataloger.copyrightLicenses(text)
            #expect(Set(mine) == Set(names), "\(path)")
            compared += 1
        }
        #expect(compared == expected.count)
    }
}
