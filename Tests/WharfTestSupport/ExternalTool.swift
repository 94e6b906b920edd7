public import Foundation
import Synchronization

/// An external program the tests use as an independent peer (skopeo, umoci, the
/// Distribution registry, openssl).
///
/// When `WHARF_REQUIRE_INTEROP=1` (as `.ci/run` sets it) a missing tool fails the tests
/// that need it. Otherwise those tests are skipped, and the skip is announced on standard
/// error so nobody mistakes a skipped interop test for a passing one.
public struct ExternalTool: Sendable, CustomStringConvertible {
    /// The program's name, looked up on `PATH`.
    public let name: String
    /// The Debian package that provides it.
    public let package: String

    /// Creates a tool description.
    public init(_ name: String, package: String) {
        self.name = name
        self.package = package
    }

    /// skopeo, the image copier.
    public static let skopeo = ExternalTool("skopeo", package: "skopeo")
    /// umoci, which builds and modifies OCI layouts.
    public static let umoci = ExternalTool("umoci", package: "umoci")
    /// The OpenSSL command line, an independent digest implementation.
    public static let openssl = ExternalTool("openssl", package: "openssl")
    /// Debian's debootstrap, which builds real Debian root filesystems from the archive.
    public static let debootstrap = ExternalTool("debootstrap", package: "debootstrap")
    /// The Go toolchain, whose `go version -m` reads the build information of Go binaries.
    public static let go = ExternalTool("go", package: "golang-go")
    /// podman, a daemonless engine with its own registry client (containers/image).
    public static let podman = ExternalTool("podman", package: "podman")
    /// containerd, the daemon under Docker and Kubernetes, with its registry resolver.
    public static let containerd = ExternalTool("containerd", package: "containerd")
    /// containerd's command-line client.
    public static let ctr = ExternalTool("ctr", package: "containerd")
    /// The Docker daemon (Debian's docker.io), started per test with its own directories.
    public static let dockerd = ExternalTool("dockerd", package: "docker.io")
    /// The Docker command-line client.
    public static let docker = ExternalTool("docker", package: "docker.io")
    /// curl, which fetches real old packages from Debian's archive for fixtures.
    public static let curl = ExternalTool("curl", package: "curl")
    /// Apache's htpasswd, which writes the password files Distribution reads.
    public static let htpasswd = ExternalTool("htpasswd", package: "apache2-utils")

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String { name }

    /// Whether interop is mandatory in this run.
    public static var interopRequired: Bool {
        ProcessInfo.processInfo.environment["WHARF_REQUIRE_INTEROP"] == "1"
    }

    /// Whether a developer asked for the fast suite alone (`WHARF_SKIP_INTEROP=1 swift test`):
    /// every test tagged `interop` is skipped, with one notice. Ignored when interop is
    /// required.
    public static var interopSkipped: Bool {
        guard ProcessInfo.processInfo.environment["WHARF_SKIP_INTEROP"] == "1", !interopRequired else {
            return false
        }
        announceSkip.run()
        return true
    }

    private static let announceSkip = OnceNotice(
        "WHARF_SKIP_INTEROP=1: tests tagged 'interop' (real peers and oracles) are NOT running.")

    /// The tool's absolute path, if it is installed.
    public var path: String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether tests needing this tool should run: always when interop is required (a
    /// missing tool then fails them), otherwise only when it is installed.
    public var shouldRun: Bool {
        if Self.interopSkipped { return false }
        if path != nil || Self.interopRequired { return true }
        FileHandle.standardError.write(
            Data(
                """
                ************************************************************************
                * INTEROP SKIPPED: '\(name)' is not installed (Debian package '\(package)').
                * Tests that prove compatibility with it are NOT running.
                * Install it, or set WHARF_REQUIRE_INTEROP=1 to make its absence fail.
                ************************************************************************

                """.utf8))
        return false
    }

    /// Runs the tool with `arguments` and returns its standard output; throws when it
    /// exits non-zero, carrying its standard error.
    @discardableResult
    public func run(_ arguments: [String], in directory: String? = nil) async throws -> String {
        guard let path else {
            throw ToolFailure(tool: name, status: -1, output: "not installed (apt-get install \(package))")
        }
        return try await ProcessRunner.run(path, arguments, in: directory)
    }
}

/// A failed run of an external program.
public struct ToolFailure: Error, CustomStringConvertible {
    /// The program.
    public var tool: String
    /// Its exit status.
    public var status: Int32
    /// What it wrote to standard error (and standard output).
    public var output: String

    /// Creates a failure record.
    public init(tool: String, status: Int32, output: String) {
        self.tool = tool
        self.status = status
        self.output = output
    }

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String { "\(tool) exited with status \(status): \(output)" }
}

/// Prints a notice to standard error once per process.
final class OnceNotice: Sendable {
    private let message: String
    private let printed = Mutex(false)

    init(_ message: String) { self.message = message }

    func run() {
        let first = printed.withLock { printed in
            defer { printed = true }
            return !printed
        }
        if first { FileHandle.standardError.write(Data("*** \(message)\n".utf8)) }
    }
}
