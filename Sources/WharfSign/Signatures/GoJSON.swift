/// JSON text exactly as Go's `encoding/json` writes it, for the documents cosign signs and
/// stores: strings escaped as Go escapes them (`<`, `>` and `&` as `\u003c`, `\u003e`,
/// `\u0026`; U+2028 and U+2029 escaped; other non-ASCII as UTF-8), objects in the order
/// given, no whitespace. Signed bytes are compared byte for byte, so "equivalent" JSON is
/// not enough.
enum GoJSON {
    /// A JSON value to write.
    indirect enum Value {
        case string(String)
        case integer(Int64)
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

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<4).reversed().map { digits[Int((value >> (4 * UInt32($0))) & 0xf)] })
    }
}
