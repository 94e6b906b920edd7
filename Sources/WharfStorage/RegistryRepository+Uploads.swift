package import Foundation
import NIOCore
public import WharfContent

extension RegistryRepository {
    /// Starts an upload. `algorithm` is the digest the client announced it will use
    /// (`?digest-algorithm=`), so the data is hashed with it as it arrives.
    public func startUpload(algorithm: DigestAlgorithm = .canonical) async throws -> BlobUpload {
        try await storeBoundary {
            let upload = try await createUpload(algorithm: algorithm)
            let writer = try await driver.writer(upload.dataPath(), append: true)
            try await writer.commit()
            return upload
        }
    }

    /// Uploads a whole blob in one step (a registry's `POST ...?digest=`): it is hashed as
    /// it streams, then verified and linked, with no empty staging file created first. A
    /// failure leaves nothing behind.
    public func uploadBlob(_ content: ByteStream, digest: OCIDigest) async throws -> Descriptor {
        try await storeBoundary {
            let upload = try await createUpload(algorithm: digest.algorithm)
            do {
                let size = try await upload.append(content, expectedOffset: nil, creating: true)
                return try await upload.complete(digest: digest, size: size)
            } catch {
                try? await upload.cancel()
                throw error
            }
        }
    }

    /// Writes a new upload's `startedat`, as Distribution does (its upload purger reads it).
    private func createUpload(algorithm: DigestAlgorithm) async throws -> BlobUpload {
        let id = UUID().uuidString.lowercased()
        let directory = try RegistryLayout.upload(name, id)
        try await driver.putContent(
            directory.appending("startedat"), ByteBuffer(string: Self.timestamp(Date())))
        return BlobUpload(repository: self, id: id, algorithm: algorithm)
    }

    /// An upload in progress, in this process or another, by its identifier. Nothing is
    /// read: whether it exists shows when it is used (``RegistryStoreError/blobUploadUnknown(_:)``).
    public func upload(_ id: String, algorithm: DigestAlgorithm = .canonical) throws -> BlobUpload {
        guard Self.isValidUploadID(id) else { throw RegistryStoreError.blobUploadUnknown(id) }
        return BlobUpload(repository: self, id: id, algorithm: algorithm)
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
    package static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// Parses Distribution's RFC 3339 `startedat`, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
