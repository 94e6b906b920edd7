import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a signing key's passphrase comes from, as cosign takes it: a file, the
/// environment (`COSIGN_PASSWORD`, or `WHARF_PASSWORD`), or a prompt on the terminal.
struct KeyPassphraseOptions: ParsableArguments {
    @Option(help: "Read the key's passphrase from this file (its first line).")
    var passphraseFile: String?

    /// The passphrase; `confirm` asks twice at a prompt (for a new key).
    func passphrase(confirm: Bool) throws -> [UInt8] {
        if let passphraseFile {
            guard let text = try? String(contentsOfFile: passphraseFile, encoding: .utf8) else {
                throw ValidationError("cannot read --passphrase-file \(passphraseFile)")
            }
            return Array((text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "").utf8)
        }
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["COSIGN_PASSWORD"] ?? environment["WHARF_PASSWORD"] {
            return Array(value.utf8)
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ValidationError(
                "no passphrase: give --passphrase-file, or set COSIGN_PASSWORD or WHARF_PASSWORD (an empty value is an empty passphrase)"
            )
        }
        let first = try prompt("Enter the key's passphrase: ")
        if confirm, try prompt("Enter it again: ") != first {
            throw ValidationError("the passphrases differ")
        }
        return first
    }

    private func prompt(_ text: String) throws -> [UInt8] {
        guard let line = getpass(text) else {
            throw ValidationError("cannot read a passphrase from the terminal")
        }
        return Array(String(cString: line).utf8)
    }
}
