/// Where a ``VulnerabilityMatcher`` finds advisories: an ``AdvisoryDatabase`` (in memory or a
/// compiled file), or anything an embedder brings (a service, a cache, several sources).
public protocol AdvisorySource: Sendable {
    /// The advisories filed under the package `name` in `ecosystem` (OSV's string:
    /// `Debian:12`, `PyPI`), each with its `affected` entry that names the package. A
    /// source compares names as the ecosystem does (PEP 503 normalization for PyPI).
    func advisories(ecosystem: String, name: String) throws -> [(OSVAdvisory, OSVAdvisory.Affected)]
}

extension AdvisoryDatabase: AdvisorySource {}
