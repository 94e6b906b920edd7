import ArgumentParser
import Foundation
import WharfScan

/// `wharf scan REF --db PATH`: vulnerabilities of an image's packages.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan an image's packages for known vulnerabilities (OSV advisories).",
        discussion: """
            Reads the image from a registry or an OCI layout (oci:DIR[:TAG]), finds its \
            packages (dpkg, apk, Python, npm, Go binaries) and matches them against OSV \
            advisories: a directory or all.zip dump read into memory, or a database compiled \
            by `wharf db build`, which opens in constant time. With --exit-code, the command fails when findings remain after the \
            filters: the CI gate.
            """)

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var image: String

    @Option(help: "OSV advisories: a `wharf db build` file, a directory or zip of OSV JSON, or one file.")
    var db: String

    @Option(
        help:
            "Output: table, json, sarif, cyclonedx or spdx (the SBOM forms carry the findings), or cosign-vuln (a predicate for `wharf attest --type vuln`)."
    )
    var format = "table"

    @Option(help: "Write the report here instead of standard output.")
    var output: String?

    @Option(help: "Keep only these severities, comma-separated (UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL).")
    var severity: String?

    @Flag(help: "Leave out findings without a fixed version.")
    var ignoreUnfixed = false

    @Option(help: "An ignore file: advisory ids, one per line, optionally `exp:YYYY-MM-DD`.")
    var ignoreFile: String?

    @Option(help: "An OpenVEX document; not_affected and fixed statements drop findings (repeatable).")
    var vex: [String] = []

    @Option(help: "Exit with this status when findings remain (default 0).")
    var exitCode: Int32 = 0

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions

    func run() async throws {
        guard ["table", "json", "sarif", "cyclonedx", "spdx", "cosign-vuln"].contains(format) else {
            throw ValidationError("--format must be table, json, sarif, cyclonedx, spdx or cosign-vuln")
        }
        var severities: Set<Severity> = []
        for name in severity?.split(separator: ",") ?? [] {
            guard let value = Severity(rawValue: name.uppercased()) else {
                throw ValidationError("unknown severity \"\(name)\"")
            }
            severities.insert(value)
        }
        guard case .platform(let platform) = try platforms.selection else {
            throw ValidationError("scan takes one platform, not --all-platforms")
        }
        let database = try AdvisoryDatabase.load(path: db)
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let started = Date()
        let report = try await ImageScanner(advisories: database).scan(
            reference, in: store, platform: platform
        )
        .filtered(
            FindingFilter(
                severities: severities, ignoreUnfixed: ignoreUnfixed,
                ignoredIDs: try ignoreFile.map {
                    try IgnoreList(contents: String(contentsOfFile: $0, encoding: .utf8)).activeIDs()
                } ?? [],
                vex: try vex.map(VEXDocument.load(path:))))
        let document =
            format == "cosign-vuln"
            ? Data(
                try VulnerabilityReport.predicate(report, startedOn: started, finishedOn: Date()).json + [
                    0x0a
                ])
            : try ReportOutput.render(report, format: format)
        try ReportOutput.write(document, to: output)
        if !report.findings.isEmpty && exitCode != 0 { throw ExitCode(exitCode) }
    }
}
