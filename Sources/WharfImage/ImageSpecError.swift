/// Why bytes are not a valid image-spec document, naming the offending field.
public struct ImageSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON path of the field at fault, like `layers[1].digest`; empty for the document.
    public var field: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error for `field`.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// A readable explanation, safe to show to users and write to logs.
    public var description: String {
        field.isEmpty ? reason : "\(field): \(reason)"
    }

    /// Translates a `DecodingError` into the field-naming form.
    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, let context):
            self.init(field: Self.path(context.codingPath + [key]), reason: "is required but missing")
        case .typeMismatch(let type, let context):
            self.init(field: Self.path(context.codingPath), reason: "has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            self.init(field: Self.path(context.codingPath), reason: "must not be null (expected \(type))")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(
                    field: "",
                    reason:
                        "not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
                )
            } else {
                self.init(field: Self.path(context.codingPath), reason: context.debugDescription)
            }
        @unknown default:
            self.init(field: "", reason: "\(error)")
        }
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}
