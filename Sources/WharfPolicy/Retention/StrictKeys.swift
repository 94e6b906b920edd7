/// Decoding as a strict JSON schema does (ECR's lifecycle policies): keys the type does not
/// know and explicit `null`s are errors, not silently ignored.
enum StrictKeys {
    static func container<Key: CodingKey & CaseIterable>(
        _ decoder: any Decoder, keyedBy: Key.Type
    ) throws -> KeyedDecodingContainer<Key> {
        let known = Set(Key.allCases.map(\.stringValue))
        let any = try decoder.container(keyedBy: AnyKey.self)
        for key in any.allKeys where !known.contains(key.stringValue) {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath + [key],
                    debugDescription: "unknown key; expected one of \(known.sorted().joined(separator: ", "))"
                ))
        }
        return try decoder.container(keyedBy: Key.self)
    }

    /// An optional value that, when its key is present, must not be `null`.
    static func optional<Value: Decodable, Key: CodingKey>(
        _ type: Value.Type, _ container: KeyedDecodingContainer<Key>, _ key: Key
    ) throws -> Value? {
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(codingPath: container.codingPath + [key], debugDescription: "null"))
        }
        return try container.decode(type, forKey: key)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
