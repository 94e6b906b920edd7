import Foundation

/// The CVSS v4.0 score of a vector (`CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`),
/// computed as the specification's section 8 describes: the vector falls in a MacroVector
/// (six equivalence classes), whose score comes from FIRST's table; the score is then
/// lowered, within the MacroVector, by the vector's mean proportional severity distance
/// from the MacroVector's highest-severity vectors.
///
/// Threat (`E`) and Environmental metrics (`CR`, `IR`, `AR`, `MAV`...`MSA`) are honoured
/// when present; absent, they take the worst case, which gives the base score (CVSS-B).
public enum CVSSv4 {
    /// The score, or `nil` when the vector is not a valid v4.0 vector with every base metric.
    public static func score(_ vector: String) -> Double? {
        guard let metrics = Metrics(vector) else { return nil }
        return score(metrics)
    }

    /// A parsed vector: each metric's effective value, modified metrics applied and `X`
    /// (not defined) resolved to the worst case.
    struct Metrics {
        private var values: [String: Character] = [:]

        static let base: [(String, String)] = [
            ("AV", "NALP"), ("AC", "LH"), ("AT", "NP"), ("PR", "NLH"), ("UI", "NPA"), ("VC", "HLN"),
            ("VI", "HLN"), ("VA", "HLN"), ("SC", "HLN"), ("SI", "HLN"), ("SA", "HLN"),
        ]
        static let optional: [(String, String)] = [
            ("E", "XAPU"), ("CR", "XHML"), ("IR", "XHML"), ("AR", "XHML"), ("MAV", "XNALP"), ("MAC", "XLH"),
            ("MAT", "XNP"), ("MPR", "XNLH"), ("MUI", "XNPA"), ("MVC", "XHLN"), ("MVI", "XHLN"),
            ("MVA", "XHLN"), ("MSC", "XHLN"), ("MSI", "XSHLN"), ("MSA", "XSHLN"), ("S", "XNP"),
            ("AU", "XNY"), ("R", "XAUI"), ("V", "XDC"), ("RE", "XLMH"), ("U", ""),
        ]

        /// Metric → its letters.
        private static let allowed = Dictionary(uniqueKeysWithValues: base + optional)

        init?(_ vector: String) {
            let parts = vector.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.first == "CVSS:4.0", parts.count > 1 else { return nil }
            var raw: [String: Substring] = [:]
            let allowed = Self.allowed
            for part in parts.dropFirst() {
                let pair = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard pair.count == 2, let values = allowed[String(pair[0])], raw[String(pair[0])] == nil
                else { return nil }
                let value = pair[1]
                // Supplemental `U` takes words; every other metric one letter.
                let valid =
                    pair[0] == "U"
                    ? ["X", "Clear", "Green", "Amber", "Red"].contains(String(value))
                    : value.count == 1 && values.contains(value)
                guard valid else { return nil }
                raw[String(pair[0])] = value
            }
            for (name, _) in Self.base {
                guard let value = raw[name]?.first else { return nil }
                // A modified metric that is defined overrides the base value.
                if let modified = raw["M" + name]?.first, modified != "X" {
                    values[name] = modified
                } else {
                    values[name] = value
                }
            }
            // Not defined means the worst case: exploitation attacked, requirements high.
            values["E"] = raw["E"].flatMap { $0 == "X" ? nil : $0.first } ?? "A"
            for name in ["CR", "IR", "AR"] {
                values[name] = raw[name].flatMap { $0 == "X" ? nil : $0.first } ?? "H"
            }
        }

        subscript(_ name: String) -> Character {
            values[name] ?? "X"
        }
    }

    /// Severity levels per metric value, in tenths: the distance unit of section 8.
    private static let levels: [String: [Character: Double]] = [
        "AV": ["N": 0.0, "A": 0.1, "L": 0.2, "P": 0.3],
        "PR": ["N": 0.0, "L": 0.1, "H": 0.2],
        "UI": ["N": 0.0, "P": 0.1, "A": 0.2],
        "AC": ["L": 0.0, "H": 0.1],
        "AT": ["N": 0.0, "P": 0.1],
        "VC": ["H": 0.0, "L": 0.1, "N": 0.2],
        "VI": ["H": 0.0, "L": 0.1, "N": 0.2],
        "VA": ["H": 0.0, "L": 0.1, "N": 0.2],
        "SC": ["H": 0.1, "L": 0.2, "N": 0.3],
        "SI": ["S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3],
        "SA": ["S": 0.0, "H": 0.1, "L": 0.2, "N": 0.3],
        "CR": ["H": 0.0, "M": 0.1, "L": 0.2],
        "IR": ["H": 0.0, "M": 0.1, "L": 0.2],
        "AR": ["H": 0.0, "M": 0.1, "L": 0.2],
    ]

    /// The six equivalence-class levels of a vector (section 8's tables).
    static func macroVector(_ m: Metrics) -> [Int] {
        let eq1: Int
        if m["AV"] == "N" && m["PR"] == "N" && m["UI"] == "N" {
            eq1 = 0
        } else if (m["AV"] == "N" || m["PR"] == "N" || m["UI"] == "N") && m["AV"] != "P" {
            eq1 = 1
        } else {
            eq1 = 2
        }
        let eq2 = m["AC"] == "L" && m["AT"] == "N" ? 0 : 1
        let eq3: Int
        if m["VC"] == "H" && m["VI"] == "H" {
            eq3 = 0
        } else if m["VC"] == "H" || m["VI"] == "H" || m["VA"] == "H" {
            eq3 = 1
        } else {
            eq3 = 2
        }
        let eq4: Int
        if m["SI"] == "S" || m["SA"] == "S" {
            eq4 = 0
        } else if m["SC"] == "H" || m["SI"] == "H" || m["SA"] == "H" {
            eq4 = 1
        } else {
            eq4 = 2
        }
        let eq5 = ["A": 0, "P": 1, "U": 2][m["E"]] ?? 0
        let eq6 =
            (m["CR"] == "H" && m["VC"] == "H") || (m["IR"] == "H" && m["VI"] == "H")
                || (m["AR"] == "H" && m["VA"] == "H") ? 0 : 1
        return [eq1, eq2, eq3, eq4, eq5, eq6]
    }

    /// The highest-severity vectors of each equivalence class level (section 8): the
    /// vectors a MacroVector's score belongs to. EQ3 and EQ6 are joined.
    private static let highest:
        (
            eq1: [[String]], eq2: [[String]], eq3eq6: [[Int: [String]]], eq4: [[String]], eq5: [[String]]
        ) = (
            eq1: [
                ["AV:N/PR:N/UI:N"], ["AV:A/PR:N/UI:N", "AV:N/PR:L/UI:N", "AV:N/PR:N/UI:P"],
                ["AV:P/PR:N/UI:N", "AV:A/PR:L/UI:P"],
            ],
            eq2: [["AC:L/AT:N"], ["AC:H/AT:N", "AC:L/AT:P"]],
            eq3eq6: [
                [
                    0: ["VC:H/VI:H/VA:H/CR:H/IR:H/AR:H"],
                    1: ["VC:H/VI:H/VA:L/CR:M/IR:M/AR:H", "VC:H/VI:H/VA:H/CR:M/IR:M/AR:M"],
                ],
                [
                    0: ["VC:L/VI:H/VA:H/CR:H/IR:H/AR:H", "VC:H/VI:L/VA:H/CR:H/IR:H/AR:H"],
                    1: [
                        "VC:L/VI:H/VA:L/CR:H/IR:M/AR:H", "VC:L/VI:H/VA:H/CR:H/IR:M/AR:M",
                        "VC:H/VI:L/VA:H/CR:M/IR:H/AR:M",
                        "VC:H/VI:L/VA:L/CR:M/IR:H/AR:H", "VC:L/VI:L/VA:H/CR:H/IR:H/AR:M",
                    ],
                ],
                [1: ["VC:L/VI:L/VA:L/CR:H/IR:H/AR:H"]],
            ],
            eq4: [["SC:H/SI:S/SA:S"], ["SC:H/SI:H/SA:H"], ["SC:L/SI:L/SA:L"]],
            eq5: [["E:A"], ["E:P"], ["E:U"]]
        )

    /// The depth of each level, in severity steps (+1): how far its lowest vector lies from
    /// its highest.
    private static let depth: (eq1: [Double], eq2: [Double], eq3eq6: [[Int: Double]], eq4: [Double]) = (
        eq1: [1, 4, 5], eq2: [1, 2], eq3eq6: [[0: 7, 1: 6], [0: 8, 1: 8], [1: 10]], eq4: [6, 5, 4]
    )

    private static func key(_ levels: [Int]) -> String {
        levels.map(String.init).joined()
    }

    static func score(_ m: Metrics) -> Double {
        // No impact on any system scores 0, whatever else the vector says.
        if ["VC", "VI", "VA", "SC", "SI", "SA"].allSatisfy({ m[$0] == "N" }) { return 0 }
        let eq = macroVector(m)
        let table = CVSSv4MacroVectorScores.table
        guard let value = table[key(eq)] else { return 0 }

        // 1a. The score one step lower in each class, where such a MacroVector exists.
        func lower(_ index: Int) -> Double? {
            var next = eq
            next[index] += 1
            return table[key(next)]
        }
        let lowerEQ3EQ6: Double?
        switch (eq[2], eq[5]) {
        case (0, 0):
            // Two ways down (to 01 and to 10): the higher of the two.
            let left = table[key([eq[0], eq[1], eq[2], eq[3], eq[4], 1])]
            let right = table[key([eq[0], eq[1], 1, eq[3], eq[4], eq[5]])]
            lowerEQ3EQ6 = [left, right].compactMap { $0 }.max()
        case (1, 0):
            lowerEQ3EQ6 = table[key([eq[0], eq[1], eq[2], eq[3], eq[4], 1])]
        case (0, 1), (1, 1):
            lowerEQ3EQ6 = table[key([eq[0], eq[1], eq[2] + 1, eq[3], eq[4], eq[5]])]
        default:
            lowerEQ3EQ6 = nil
        }

        // 1b. The severity distance from the first highest-severity vector of the
        // MacroVector that is at least as severe as this one in every metric.
        let candidates = highestVectors(eq)
        var distance: [String: Double] = [:]
        for candidate in candidates {
            distance = [:]
            for (name, value) in candidate {
                distance[name] = (levels[name]?[m[name]] ?? 0) - (levels[name]?[value] ?? 0)
            }
            if distance.values.allSatisfy({ $0 >= 0 }) { break }
        }
        func sum(_ names: [String]) -> Double {
            names.reduce(0) { $0 + (distance[$1] ?? 0) }
        }
        let current = [
            sum(["AV", "PR", "UI"]), sum(["AC", "AT"]), sum(["VC", "VI", "VA", "CR", "IR", "AR"]),
            sum(["SC", "SI", "SA"]), 0,
        ]
        let step = 0.1
        let depths = [
            depth.eq1[eq[0]] * step, depth.eq2[eq[1]] * step, (depth.eq3eq6[eq[2]][eq[5]] ?? 1) * step,
            depth.eq4[eq[3]] * step, 1,
        ]
        let lowers = [lower(0), lower(1), lowerEQ3EQ6, lower(3), lower(4)]

        // 1c-d, 2. Each existing lower MacroVector contributes the available score drop
        // times the proportion of the depth travelled; the mean of those is subtracted.
        var existing = 0
        var total = 0.0
        for (index, lowerScore) in lowers.enumerated() {
            guard let lowerScore else { continue }
            existing += 1
            total += (value - lowerScore) * (current[index] / depths[index])
        }
        let mean = existing == 0 ? 0 : total / Double(existing)
        let result = min(max(value - mean, 0), 10)
        // 3. Rounded to one decimal, halves up — on integers, after dropping floating-point
        // noise, so that 8.6 - 7.15 = 1.4499999999999993 rounds as the 1.45 it stands for.
        let hundredThousandths = Int((result * 100_000).rounded())
        return Double((hundredThousandths + 5_000) / 10_000) / 10
    }

    /// Every combination of the classes' highest-severity vectors, in the order the
    /// specification's reference walks them, as metric → value.
    private static func highestVectors(_ eq: [Int]) -> [[(String, Character)]] {
        var result: [[(String, Character)]] = []
        for a in highest.eq1[eq[0]] {
            for b in highest.eq2[eq[1]] {
                for c in highest.eq3eq6[eq[2]][eq[5]] ?? [] {
                    for d in highest.eq4[eq[3]] {
                        for e in highest.eq5[eq[4]] {
                            result.append(
                                [a, b, c, d, e].joined(separator: "/").split(separator: "/").compactMap {
                                    part in
                                    let pair = part.split(separator: ":")
                                    return pair.count == 2 ? (String(pair[0]), pair[1].first ?? "X") : nil
                                })
                        }
                    }
                }
            }
        }
        return result
    }
}
