/// Any JSON document decoded as Go's `json.Unmarshal` into `interface{}` holds it: numbers
/// as float64, objects as maps (written back with keys sorted, as Go sorts map keys).
extension GoJSON.Value: Decodable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([GoJSON.Value].self) {
            self = .array(value)
        } else {
            let object = try container.decode([String: GoJSON.Value].self)
            // Go sorts map keys by their bytes.
            self = .object(object.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
        }
    }
}
