/// Turns the license names packages declare — SPDX expressions, Debian's DEP-5 short
/// names (`GPL-2+`, `Expat`), Python trove classifiers, npm's `license` strings — into SPDX
/// license expressions, for the SBOM writers.
///
/// Only identifiers on a built-in subset of the SPDX License List are produced, so every
/// expression Wharf writes validates (a test checks the subset against the SPDX list that
/// the `license-expression` package ships); anything else stays a name, and an SPDX
/// document refers to it as a `LicenseRef-`.
public enum SPDXLicense {
    /// The SPDX expression `declared` stands for, or `nil` when it cannot be said in
    /// identifiers this list knows.
    public static func expression(for declared: String) -> String? {
        let text = declared.trimmed
        guard !text.isEmpty, text.count <= 256 else { return nil }
        if let mapped = aliases[text.lowercased()] { return mapped }
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character == "(" || character == ")" || character == " " || character == "," {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if character == "(" || character == ")" { tokens.append(String(character)) }
                if character == "," { tokens.append("AND") }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        var output: [String] = []
        var expectsOperand = true
        var depth = 0
        var afterWith = false
        for token in tokens {
            let upper = token.uppercased()
            if expectsOperand {
                if token == "(" {
                    depth += 1
                    output.append(token)
                    continue
                }
                if afterWith {
                    guard let exception = exceptions.first(where: { $0.lowercased() == token.lowercased() })
                    else {
                        return nil
                    }
                    output.append(exception)
                    afterWith = false
                } else {
                    guard let id = identifier(token) else { return nil }
                    output.append(id)
                }
                expectsOperand = false
            } else {
                switch upper {
                case ")":
                    guard depth > 0 else { return nil }
                    depth -= 1
                    output.append(token)
                case "AND", "&": output.append("AND"); expectsOperand = true
                case "OR", "|": output.append("OR"); expectsOperand = true
                case "WITH": output.append("WITH"); expectsOperand = true; afterWith = true
                default: return nil
                }
            }
        }
        guard !expectsOperand, depth == 0, !output.isEmpty else { return nil }
        return output.joined(separator: " ").replacingOccurrences(of: "( ", with: "(")
            .replacingOccurrences(of: " )", with: ")")
    }

    /// Whether `expression` is a lone identifier (no operators).
    static func isSingleIdentifier(_ expression: String) -> Bool {
        !expression.contains(" ") && !expression.contains("(")
    }

    /// One operand: a listed identifier in any case, `ID+` (or later), or a DEP-5 name.
    private static func identifier(_ token: String) -> String? {
        let lower = token.lowercased()
        if let mapped = aliases[lower], isSingleIdentifier(mapped) { return mapped }
        if let id = identifiers[lower] { return id }
        if lower.hasSuffix("+"), let base = identifiers[String(lower.dropLast())] {
            return orLater[base] ?? base + "+"
        }
        return nil
    }

    /// The identifiers, keyed by their lowercase spelling (SPDX ids are case-insensitive).
    static let identifiers: [String: String] = Dictionary(
        uniqueKeysWithValues: knownIdentifiers.map { ($0.lowercased(), $0) })

    /// A subset of the SPDX License List: what packages in images commonly declare.
    static let knownIdentifiers: [String] = [
        "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0",
        "APSL-2.0", "Artistic-1.0", "Artistic-1.0-Perl", "Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause",
        "BSD-2-Clause", "BSD-3-Clause", "BSD-4-Clause", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0",
        "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "curl", "EPL-1.0", "EPL-2.0",
        "EUPL-1.2", "FSFAP", "FSFUL", "FSFULLR", "FTL", "GFDL-1.2-only", "GFDL-1.2-or-later",
        "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0-only", "GPL-1.0-or-later", "GPL-2.0-only",
        "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "HPND", "ICU", "IJG", "ISC",
        "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only",
        "LGPL-3.0-or-later", "Libpng", "libtiff", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "NCSA", "OFL-1.1",
        "OpenSSL", "PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Ruby", "Sleepycat", "TCL",
        "Unicode-DFS-2016", "Unicode-3.0", "Unlicense", "UPL-1.0", "Vim", "W3C", "WTFPL", "X11", "Zlib",
        "ZPL-2.1",
    ]

    /// License exceptions (after `WITH`).
    static let exceptions: [String] = [
        "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0", "GCC-exception-3.1",
        "LLVM-exception", "Font-exception-2.0", "Libtool-exception",
    ]

    /// What `ID+` means for the GNU families, whose SPDX ids spell it out.
    private static let orLater: [String: String] = [
        "GPL-1.0-only": "GPL-1.0-or-later", "GPL-2.0-only": "GPL-2.0-or-later",
        "GPL-3.0-only": "GPL-3.0-or-later", "LGPL-2.0-only": "LGPL-2.0-or-later",
        "LGPL-2.1-only": "LGPL-2.1-or-later", "LGPL-3.0-only": "LGPL-3.0-or-later",
        "AGPL-3.0-only": "AGPL-3.0-or-later", "GFDL-1.2-only": "GFDL-1.2-or-later",
        "GFDL-1.3-only": "GFDL-1.3-or-later",
    ]

    /// Names in other vocabularies, lowercase: DEP-5 short names (Debian copyright files),
    /// deprecated SPDX ids, Python trove classifiers' last component, common spellings.
    static let aliases: [String: String] = {
        var table: [String: String] = [
            "expat": "MIT", "mit license": "MIT", "the mit license": "MIT", "mit/x11": "MIT",
            "bsd-2-clause-freebsd": "BSD-2-Clause", "apache software license": "Apache-2.0",
            "apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0",
            "apache 2.0": "Apache-2.0", "apache-2": "Apache-2.0", "apache2": "Apache-2.0",
            "python software foundation license": "PSF-2.0", "psf": "PSF-2.0", "psf-2": "PSF-2.0",
            "isc license (iscl)": "ISC", "isc license": "ISC", "the unlicense (unlicense)": "Unlicense",
            "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
            "gnu general public license v2 (gplv2)": "GPL-2.0-only",
            "gnu general public license v3 (gplv3)": "GPL-3.0-only",
            "gnu general public license v2 or later (gplv2+)": "GPL-2.0-or-later",
            "gnu general public license v3 or later (gplv3+)": "GPL-3.0-or-later",
            "gnu lesser general public license v2 (lgplv2)": "LGPL-2.0-only",
            "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0-only",
            "gnu lesser general public license v2 or later (lgplv2+)": "LGPL-2.0-or-later",
            "gnu lesser general public license v3 or later (lgplv3+)": "LGPL-3.0-or-later",
            "gnu library or lesser general public license (lgpl)": "LGPL-2.0-or-later",
            "zlib/libpng license": "Zlib", "artistic": "Artistic-1.0-Perl", "perl": "Artistic-1.0-Perl",
            "gpl": "GPL-1.0-or-later", "lgpl": "LGPL-2.0-or-later", "bsd-3": "BSD-3-Clause",
            "bsd-2": "BSD-2-Clause", "cc0": "CC0-1.0", "zope public license": "ZPL-2.1",
        ]
        // DEP-5 and old SPDX: GPL-2, GPL-2+, GPL-2.0, GPL-2.0+, LGPL-2.1+, ...
        for (family, versions) in [
            ("GPL", ["1", "2", "3"]), ("LGPL", ["2", "2.1", "3"]), ("AGPL", ["3"]), ("GFDL", ["1.2", "1.3"]),
        ] {
            for version in versions {
                let full = version.contains(".") ? version : version + ".0"
                for spelling in Set([version, full]) {
                    table["\(family)-\(spelling)".lowercased()] = "\(family)-\(full)-only"
                    table["\(family)-\(spelling)+".lowercased()] = "\(family)-\(full)-or-later"
                }
            }
        }
        return table
    }()
}

extension SPDXLicense {
    /// A package's declared licenses as one SPDX expression: each converted where it can
    /// be, the others named by a `LicenseRef-` (returned with the names they stand for, for
    /// the document to define), all joined with `AND`. `nil` when there are none.
    public static func declaredExpression(
        _ licenses: [String]
    ) -> (expression: String, references: [(id: String, name: String)])? {
        var parts: [String] = []
        var references: [(id: String, name: String)] = []
        for license in licenses {
            let part: String
            if let expression = expression(for: license) {
                part = isSingleIdentifier(expression) || licenses.count == 1 ? expression : "(\(expression))"
            } else {
                let id = reference(for: license)
                if !references.contains(where: { $0.id == id }) { references.append((id, license)) }
                part = id
            }
            if !parts.contains(part) { parts.append(part) }
        }
        guard !parts.isEmpty else { return nil }
        return (parts.joined(separator: " AND "), references)
    }

    /// The `LicenseRef-` identifier for a name that is not an SPDX expression.
    public static func reference(for name: String) -> String {
        let characters = name.trimmed.map {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "-"
        }
        return "LicenseRef-" + String(characters.prefix(64))
    }
}
