/// JSON text exactly as Go's `encoding/json` writes it, for the documents cosign signs and
/// stores: strings escaped as Go escapes them (`<`, `>` and `&` as `\u003c`, `\u003e`,
/// `\u0026`; U+2028 and U+2029 escaped; other non-ASCII as UTF-8), objects in the order
/// given, no whitespace. Signed bytes are compared byte for byte, so "equivalent" JSON is
/// not enough.
enum GoJSON {
    /// A JSON value to write.
    indirect enum Value: Sendable {
        case string(String)
        case integer(Int64)
        /// A number as Go holds a decoded JSON number: a float64.
        case number(Double)
        case bool(Bool)
        case null
        /// Keys in the order written (Go writes struct fields in declaration order and map
        /// keys sorted).
        case object([(String, Value)])
        case array([Value])
    }

    static func encode(_ value: Value) -> String {
        var output = ""
        write(value, to: &output)
        return output
    }

    private static func write(_ value: Value, to output: inout String) {
        switch value {
        case .string(let string): output += quoted(string)
        case .integer(let number): output += String(number)
        case .number(let number): output += formatted(number)
        case .bool(let value): output += value ? "true" : "false"
        case .null: output += "null"
        case .object(let members):
            output += "{"
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { output += "," }
                output += quoted(key) + ":"
                write(member, to: &output)
            }
            output += "}"
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                write(element, to: &output)
            }
            output += "]"
        }
    }

    /// A string literal as Go's `json.Marshal` writes it (with HTML escaping, its default).
    static func quoted(_ string: String) -> String {
        var output = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += "\\u" + hex4(scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// A float64 as `encoding/json` writes it: the shortest digits that round-trip, in
    /// positional notation unless the magnitude is below 1e-6 or at least 1e21, where it is
    /// `d.ddde±X` with at least two exponent digits (one for negative single-digit exponents).
    static func formatted(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return number.sign == .minus ? "-0" : "0" }
        // Swift's description has the same shortest round-tripping digits; lay them out anew.
        let text = String(describing: abs(number))
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart = mantissa.split(separator: ".", omittingEmptySubsequences: false)[0]
        var digits = mantissa.filter { $0 != "." }
        var point = integerPart.count + exponent  // the decimal point's position within digits
        while digits.first == "0", digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0", digits.count > 1 { digits.removeLast() }
        let sign = number < 0 ? "-" : ""
        let magnitude = abs(number)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            let scientific = point - 1
            let fraction = digits.dropFirst()
            // Go writes at least two exponent digits, then cleans `e-09` up to `e-9`.
            let exponentText =
                scientific < 0
                ? "-" + String(-scientific) : "+" + (scientific < 10 ? "0" : "") + String(scientific)
            return sign + digits.prefix(1) + (fraction.isEmpty ? "" : "." + fraction) + "e" + exponentText
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<4).reversed().map { digits[Int((value >> (4 * UInt32($0))) & 0xf)] })
    }
}
