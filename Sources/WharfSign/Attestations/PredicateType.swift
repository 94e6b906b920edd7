/// Predicate types by the URIs cosign gives them, and cosign's `--type` names for them.
public enum PredicateType {
    /// An SPDX document (`spdx`, `spdxjson`).
    public static let spdx = "https://spdx.dev/Document"
    /// A CycloneDX BOM (`cyclonedx`).
    public static let cycloneDX = "https://cyclonedx.org/bom"
    /// SLSA provenance v0.2 (`slsaprovenance`, `slsaprovenance02`).
    public static let slsaProvenance02 = "https://slsa.dev/provenance/v0.2"
    /// SLSA provenance v1 (`slsaprovenance1`).
    public static let slsaProvenance1 = "https://slsa.dev/provenance/v1"
    /// An in-toto link (`link`).
    public static let link = "https://in-toto.io/Link/v1"
    /// cosign's vulnerability scan predicate (`vuln`).
    public static let vulnerabilities = "https://cosign.sigstore.dev/attestation/vuln/v1"
    /// An OpenVEX document (`openvex`).
    public static let openVEX = "https://openvex.dev/ns"
    /// cosign's custom predicate: any text with a timestamp (`custom`).
    public static let custom = "https://cosign.sigstore.dev/attestation/v1"

    /// The URI cosign's `--type` name stands for; a URI stands for itself; `nil` for a name
    /// cosign does not know.
    public static func uri(forName name: String) -> String? {
        switch name {
        case "spdx", "spdxjson": spdx
        case "cyclonedx": cycloneDX
        case "slsaprovenance", "slsaprovenance02": slsaProvenance02
        case "slsaprovenance1": slsaProvenance1
        case "link": link
        case "vuln": vulnerabilities
        case "openvex": openVEX
        case "custom": custom
        default: name.contains("://") ? name : nil
        }
    }
}
