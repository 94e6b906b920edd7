import Foundation
import NIOCore
public import WharfContent

extension RegistryRepository {
    /// Starts an upload. `algorithm` is the digest the client announced it will use
    /// (`?digest-algorithm=`), so the data is hashed with it as it arrives.
    public func startUpload(algorithm: DigestAlgorithm = .canonical) async throws -> BlobUpload {
        try await storeBoundary {
            let id = UUID().uuidString.lowercased()
            let directory = try RegistryLayout.upload(name, id)
            let started = Date()
            try await driver.putContent(
                directory.appending("startedat"), ByteBuffer(string: Self.timestamp(started)))
            let writer = try await driver.writer(directory.appending("data"), append: true)
            try await writer.commit()
            return BlobUpload(repository: self, id: id, startedAt: started, algorithm: algorithm)
        }
    }

    /// An upload in progress, found by its identifier, in this process or another.
    public func upload(_ id: String, algorithm: DigestAlgorithm = .canonical) async throws -> BlobUpload {
        try await storeBoundary {
            guard Self.isValidUploadID(id) else { throw RegistryStoreError.blobUploadUnknown(id) }
            let directory = try RegistryLayout.upload(name, id)
            let startedAt: Date
            do {
                let text = String(
                    buffer: try await driver.getContent(directory.appending("startedat"), limit: 256))
                startedAt = Self.parseTimestamp(text) ?? .distantPast
            } catch StorageError.notFound {
                throw RegistryStoreError.blobUploadUnknown(id)
            }
            return BlobUpload(repository: self, id: id, startedAt: startedAt, algorithm: algorithm)
        }
    }

    /// Upload identifiers are what `startUpload` makes (and Distribution makes: UUIDs);
    /// anything else is unknown without touching storage.
    static func isValidUploadID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "_")
            }
    }

    /// Formats a time as Distribution's `startedat` files hold it (RFC 3339, UTC).
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Parses Distribution's RFC 3339 `startedat`, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
