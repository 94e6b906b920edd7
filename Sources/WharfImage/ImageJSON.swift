import Foundation

/// The JSON coders for image-spec documents.
///
/// Encoding sorts keys and leaves slashes unescaped, so the same value always encodes to
/// the same bytes (and so to the same digest) on every platform.
enum ImageJSON {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes `bytes`, turning decoding failures into ``ImageSpecError``s naming the field.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: Data) throws(ImageSpecError) -> T {
        do {
            return try JSONDecoder().decode(type, from: bytes)
        } catch let error as DecodingError {
            throw ImageSpecError(error)
        } catch let error as ImageSpecError {
            throw error
        } catch {
            throw ImageSpecError(field: "", reason: "\(error)")
        }
    }
}
