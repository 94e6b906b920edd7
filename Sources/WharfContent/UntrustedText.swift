/// Renders untrusted input for error messages.
package enum UntrustedText {
    /// Quotes `input`, escaping control and non-ASCII characters and truncating it, so a
    /// hostile string can neither flood nor forge a log line.
    package static func quoted(_ input: String, limit: Int = 80) -> String {
        var escaped = ""
        for scalar in input.unicodeScalars.prefix(limit) {
            escaped += scalar.escaped(asASCII: true)
        }
        let suffix = input.unicodeScalars.count > limit ? "…" : ""
        return "\"\(escaped)\(suffix)\""
    }
}
