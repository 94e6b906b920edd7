import Foundation

/// Which findings a report keeps: the CI gate's knobs.
public struct FindingFilter: Sendable {
    /// Severities to keep; empty keeps all.
    public var severities: Set<Severity>
    /// Drop findings without a fixed version.
    public var ignoreUnfixed: Bool
    /// Advisory ids (or aliases) to drop.
    public var ignoredIDs: Set<String>
    /// VEX documents whose `not_affected` and `fixed` statements drop findings.
    public var vex: [VEXDocument]

    /// Creates a filter.
    public init(
        severities: Set<Severity> = [], ignoreUnfixed: Bool = false, ignoredIDs: Set<String> = [],
        vex: [VEXDocument] = []
    ) {
        self.severities = severities
        self.ignoreUnfixed = ignoreUnfixed
        self.ignoredIDs = ignoredIDs
        self.vex = vex
    }

    /// Whether `finding` stays by severity, fix and ignored ids. VEX statements name the
    /// product they are about, so they apply where the image is known:
    /// `ScanReport.filtered(_:)` applies both.
    public func keeps(_ finding: Finding) -> Bool {
        if !severities.isEmpty, !severities.contains(finding.severity) { return false }
        if ignoreUnfixed, finding.fixedVersion == nil { return false }
        if ignoredIDs.contains(finding.advisoryID) || !ignoredIDs.isDisjoint(with: finding.aliases) {
            return false
        }
        return true
    }
}
