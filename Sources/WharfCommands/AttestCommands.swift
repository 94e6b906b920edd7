import ArgumentParser
import Foundation
import WharfContent
import WharfImage
import WharfScan
import WharfSign

/// `wharf attest IMAGE --key cosign.key --type T [--predicate FILE]`: an in-toto
/// attestation about an image, as `cosign attest` makes it.
struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Attest a predicate about an image with a key, as cosign does (sha256-<digest>.att).",
        discussion: """
            The predicate is read from --predicate and wrapped as `cosign attest --type` wraps \
            it. Without --predicate, Wharf makes it: `cyclonedx` and `spdxjson` attest the \
            image's SBOM, `vuln` its vulnerability scan (with --db).
            """)

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG] (with --identity).") var image:
        String
    @Option(help: "The private key (cosign's encrypted PEM).") var key: String
    @Option(
        help:
            "spdx, spdxjson, cyclonedx, slsaprovenance, slsaprovenance1, link, vuln, openvex, custom, or a URI."
    )
    var type = "custom"
    @Option(help: "The predicate file.") var predicate: String?
    @Option(help: "OSV advisories for a vuln attestation Wharf scans itself (as for `wharf scan`).") var db:
        String?
    @Flag(help: "Replace the image's attestations of the same predicate type.") var replace = false
    @Flag(help: "Store the attestation as an OCI 1.1 referrer instead of at the .att tag.") var referrers =
        false
    @Option(help: "The subject's name (default: the image's repository).") var identity: String?
    @OptionGroup var passphrase: KeyPassphraseOptions
    @OptionGroup var registry: RegistryOptions
    @OptionGroup var platforms: PlatformOptions

    func run() async throws {
        guard PredicateType.uri(forName: type) != nil else {
            throw ValidationError("unknown --type \(type)")
        }
        guard !(replace && referrers) else {
            throw ValidationError("--replace applies to the .att image, not to --referrers")
        }
        let signingKey = try SigningKey(
            encryptedPEM: try readFile(key, what: "key"),
            passphrase: try passphrase.passphrase(confirm: false))
        let location = try ImageLocation(parsing: image)
        let subjectName = try identity ?? SigningIdentity.of(location)
        let (store, reference) = try await ImageEndpoints(registry: registry).target(location)
        let root = try await store.resolve(reference ?? location.reference ?? ImageReference.defaultTag)
        let statementPredicate = try await makePredicate(location: location)
        let outcome = try await ImageAttester(key: signingKey).attest(
            root, repository: subjectName, predicate: statementPredicate, in: store,
            placement: referrers ? .referrer : .tag, replace: replace)
        if case .stored(let source) = outcome {
            print("Attested \(statementPredicate.type) for \(root.digest) (\(source))")
        }
    }

    private func makePredicate(location: ImageLocation) async throws -> AttestationPredicate {
        if let predicate {
            let content: [UInt8]
            do {
                content = Array(try Data(contentsOf: URL(fileURLWithPath: predicate)))
            } catch {
                throw CommandError("cannot read predicate \(predicate)")
            }
            return try AttestationPredicate(cosignType: type, content: content)
        }
        guard ["cyclonedx", "spdxjson", "vuln"].contains(type) else {
            throw ValidationError("--type \(type) needs --predicate FILE")
        }
        guard case .platform(let platform) = try platforms.selection else {
            throw ValidationError("attest scans one platform, not --all-platforms")
        }
        let (source, reference) = try await ImageEndpoints(registry: registry).source(location)
        if type == "vuln" {
            guard let db else { throw ValidationError("a vuln attestation Wharf scans needs --db") }
            let started = Date()
            let report = try await ImageScanner(advisories: try AdvisoryDatabase.load(path: db)).scan(
                reference, in: source, platform: platform)
            return try VulnerabilityReport.predicate(report, startedOn: started, finishedOn: Date())
        }
        let report = try await ImageScanner(advisories: nil).scan(reference, in: source, platform: platform)
        let document = try ReportOutput.render(report, format: type == "cyclonedx" ? "cyclonedx" : "spdx")
        return try AttestationPredicate(cosignType: type, content: Array(document))
    }
}

/// A scan report as cosign's vulnerability predicate, as Trivy's `cosign-vuln` format
/// writes it: the scanner named by package URL, the report as the result.
enum VulnerabilityReport {
    static func predicate(
        _ report: ScanReport, startedOn: Date, finishedOn: Date
    ) throws -> AttestationPredicate {
        try VulnerabilityScanPredicate(
            scannerURI: "pkg:generic/wharf@\(WharfVersion.current)", scannerVersion: WharfVersion.current,
            databaseURI: "", databaseVersion: "", report: Array(try report.json()), startedOn: startedOn,
            finishedOn: finishedOn
        ).predicate
    }
}

/// `wharf verify-attestation IMAGE --key cosign.pub [--type T]`: exit 0 only when an
/// attestation verifies; prints each verified envelope, one per line, as cosign does.
struct VerifyAttestationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-attestation",
        abstract: "Verify an image's attestations with a public key; exit 0 only when one verifies.",
        discussion: "Prints each verified DSSE envelope on its own line (cosign's output), or --json.")

    @Argument(help: "The image.") var image: String
    @Option(help: "The public key (PEM, repeatable).") var key: [String]
    @Option(
        help:
            "Only attestations of this predicate type: a cosign --type name, a URI, or any (default: custom, as cosign)."
    )
    var type = "custom"
    @Flag(help: "Print a JSON report instead of the envelopes.") var json = false
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let keys = try key.map { path in try VerificationKey(pem: try readFile(path, what: "public key")) }
        var predicateType: String?
        if type != "any" {
            guard let uri = PredicateType.uri(forName: type) else {
                throw ValidationError("unknown --type \(type)")
            }
            predicateType = uri
        }
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let root = try await store.resolve(reference)
        let result = try await AttestationVerifier(keys: keys).verify(
            root, in: store, predicateType: predicateType)
        if json {
            try OutputOptions().printJSON(VerifyAttestationReport(result, image: root.digest))
        } else {
            for attestation in result.verified {
                FileHandle.standardError.write(
                    Data(
                        "Verified: \(attestation.statement.predicateType) by \(attestation.key) (\(attestation.source))\n"
                            .utf8))
                FileHandle.standardOutput.write(Data(attestation.envelopeBytes) + Data("\n".utf8))
            }
            for rejected in result.rejected {
                FileHandle.standardError.write(
                    Data("Not verified (\(rejected.source)): \(rejected.reason)\n".utf8))
            }
        }
        guard result.isVerified else {
            throw CommandError(
                "no attestation of \(root.digest)\(type == "any" ? "" : " of type \(type)") verifies with the given key\(keys.count == 1 ? "" : "s")"
            )
        }
    }
}

/// What `wharf verify-attestation --json` prints.
struct VerifyAttestationReport: Encodable {
    struct Verified: Encodable {
        var key: String
        var predicateType: String
        var subjects: [String]
        var source: String
    }
    var image: String
    var verified: [Verified]
    var rejected: [RejectionReport]

    init(_ result: AttestationVerification, image: OCIDigest) {
        self.image = image.description
        verified = result.verified.map { attestation in
            Verified(
                key: attestation.key.description, predicateType: attestation.statement.predicateType,
                subjects: attestation.statement.subjects.flatMap { subject in
                    subject.digest.map { "\(subject.name)@\($0.key):\($0.value)" }.sorted()
                },
                source: attestation.source.description)
        }
        rejected = result.rejected.map(RejectionReport.init)
    }
}
