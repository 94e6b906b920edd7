public import Foundation

/// A Python module the tests use as an independent oracle (`cvss`, `packaging`).
///
/// Like ``ExternalTool``: required when `WHARF_REQUIRE_INTEROP=1`, otherwise a missing
/// module skips its tests with a loud notice.
public struct PythonModule: Sendable {
    /// The import name.
    public let name: String
    /// The PyPI package that provides it.
    public let pipPackage: String

    /// Creates a description.
    public init(_ name: String, pipPackage: String) {
        self.name = name
        self.pipPackage = pipPackage
    }

    /// The CVSS calculator of Red Hat's product security team.
    public static let cvss = PythonModule("cvss", pipPackage: "cvss")

    /// PyPA's `packaging`, which pip uses to read and order versions.
    public static let packaging = PythonModule("packaging", pipPackage: "packaging")

    /// AboutCode's `univers`, whose Gentoo-family version order is apk's ancestor.
    public static let univers = PythonModule("univers", pipPackage: "univers")

    /// The CycloneDX project's Python library, whose validator holds the official schemas.
    public static let cyclonedx = PythonModule(
        "cyclonedx.validation.json", pipPackage: "cyclonedx-python-lib[json-validation]")

    /// The SPDX project's Python tools: parser and validator.
    public static let spdxTools = PythonModule("spdx_tools", pipPackage: "spdx-tools")

    /// Debian's own Python library; its `debian.copyright` reads machine-readable (DEP-5)
    /// copyright files.
    public static let pythonDebian = PythonModule("debian.copyright", pipPackage: "python-debian")

    /// The ORAS project's Python client for OCI artifacts.
    public static let oras = PythonModule("oras.client", pipPackage: "oras")

    /// Microsoft's SARIF tools, a reader of SARIF logs.
    public static let sarifTools = PythonModule("sarif", pipPackage: "sarif-tools")

    /// PyNaCl, Python's binding of libsodium: an independent secretbox (XSalsa20-Poly1305).
    public static let pynacl = PythonModule("nacl.secret", pipPackage: "pynacl")

    /// The Secure Systems Lab's `securesystemslib`: DSSE envelopes, signing and verifying.
    public static let securesystemslib = PythonModule("securesystemslib.dsse", pipPackage: "securesystemslib")

    /// The in-toto project's attestation library: statements as its protobuf schema reads them.
    public static let inTotoAttestation = PythonModule(
        "in_toto_attestation.v1.statement", pipPackage: "in-toto-attestation")

    /// PyCA's `cryptography`: PKCS#8 keys and ECDSA signatures from OpenSSL, independently.
    public static let cryptography = PythonModule(
        "cryptography.hazmat.primitives.asymmetric.ec", pipPackage: "cryptography")

    /// Whether `python3` can import the module.
    public var isAvailable: Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(name)"]
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Whether tests needing the module should run (a missing one then fails them when
    /// interop is required).
    public var shouldRun: Bool {
        if ExternalTool.interopSkipped { return false }
        if isAvailable || ExternalTool.interopRequired { return true }
        FileHandle.standardError.write(
            Data(
                """
                ************************************************************************
                * ORACLE SKIPPED: Python module '\(name)' is missing (pip install \(pipPackage)).
                * Tests that check Wharf against it are NOT running.
                ************************************************************************

                """.utf8))
        return false
    }
}
