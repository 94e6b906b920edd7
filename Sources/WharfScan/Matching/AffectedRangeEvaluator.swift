/// Decides whether a version falls in an advisory's affected versions, exactly as the
/// OSV schema's `IsVulnerable` pseudocode says: listed in `versions`, or inside a range
/// whose sorted events leave it vulnerable (`introduced` ≤ v, not `fixed` ≤ v, not
/// `last_affected` < v) and below one of its `limit`s if it has any.
struct AffectedRangeEvaluator {
    /// The scheme for `ECOSYSTEM` ranges.
    let scheme: VersionScheme?

    /// Whether `version` is affected; and the fix: the lowest `fixed` above it in a range
    /// that affects it.
    func evaluate(_ version: String, _ affected: OSVAdvisory.Affected) -> (affected: Bool, fixedIn: String?) {
        if affected.versions?.contains(version) == true {
            return (true, nil)
        }
        for range in affected.ranges ?? [] {
            let rangeScheme: VersionScheme? =
                switch range.type {
                case "SEMVER": .semver
                case "ECOSYSTEM": scheme
                default: nil  // GIT ranges name commits, not versions
                }
            guard let rangeScheme, let result = evaluate(version, range, scheme: rangeScheme), result.affected
            else {
                continue
            }
            return result
        }
        return (false, nil)
    }

    private func evaluate(
        _ version: String, _ range: OSVAdvisory.Affected.Range, scheme: VersionScheme
    )
        -> (affected: Bool, fixedIn: String?)?
    {
        func compare(_ a: String, _ b: String) -> Int? {
            if a == b { return 0 }
            if a == "0" { return -1 }  // introduced "0" sorts before everything
            if b == "0" { return 1 }
            return scheme.compare(a, b)
        }
        let limits = range.events.compactMap(\.limit)
        if !limits.isEmpty {
            let below = limits.contains { limit in
                limit.contains("*") || (compare(version, limit).map { $0 < 0 } ?? false)
            }
            guard below else { return (false, nil) }
        }
        // Sort events by their version; an unreadable one makes the range unusable.
        var keyed: [(version: String, event: OSVAdvisory.Affected.Range.Event)] = []
        for event in range.events {
            guard let value = event.introduced ?? event.fixed ?? event.lastAffected ?? event.limit else {
                continue
            }
            if event.limit != nil { continue }
            keyed.append((value, event))
        }
        var failed = false
        keyed.sort { a, b in
            guard let order = compare(a.version, b.version) else {
                failed = true
                return false
            }
            return order < 0
        }
        guard !failed else { return nil }
        var vulnerable = false
        for (value, event) in keyed {
            guard let order = compare(version, value) else { return nil }
            if event.introduced != nil, order >= 0 {
                vulnerable = true
            } else if event.fixed != nil, order >= 0 {
                vulnerable = false
            } else if event.lastAffected != nil, order > 0 {
                vulnerable = false
            }
        }
        guard vulnerable else { return (false, nil) }
        let fix = keyed.first { $0.event.fixed != nil && (compare($0.version, version) ?? 0) > 0 }?.version
        return (true, fix)
    }
}
