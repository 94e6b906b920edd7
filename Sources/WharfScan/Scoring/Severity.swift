/// How bad a vulnerability is, in the CVSS qualitative scale.
public enum Severity: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    /// No rating given, or none Wharf could read.
    case unknown = "UNKNOWN"
    /// CVSS below 4.0.
    case low = "LOW"
    /// CVSS 4.0–6.9.
    case medium = "MEDIUM"
    /// CVSS 7.0–8.9.
    case high = "HIGH"
    /// CVSS 9.0–10.0.
    case critical = "CRITICAL"

    /// The rating of a CVSS base score (0 counts as low: something was reported).
    public init(score: Double) {
        switch score {
        case 9.0...: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        default: self = .low
        }
    }

    /// A rating written by a database (`HIGH`, `moderate`, `important`, ...).
    public init?(rating: String) {
        switch rating.lowercased() {
        case "critical": self = .critical
        case "high", "important": self = .high
        case "medium", "moderate": self = .medium
        case "low", "negligible", "unimportant": self = .low
        default: return nil
        }
    }

    /// Unknown, low, medium, high, critical.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
