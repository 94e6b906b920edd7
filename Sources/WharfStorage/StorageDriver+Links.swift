import Foundation
import NIOCore
import WharfContent

extension StorageDriver {
    /// The digest a Distribution link file holds, or `nil` when there is no link. A link
    /// whose content is not a digest is treated as absent: it cannot name anything.
    func readLink(_ path: StoragePath) async throws -> OCIDigest? {
        let content: ByteBuffer
        do {
            content = try await getContent(path, limit: 1024)
        } catch StorageError.notFound {
            return nil
        } catch StorageError.wrongKind {
            return nil
        }
        let text = String(buffer: content).trimmingCharacters(in: .whitespacesAndNewlines)
        return try? OCIDigest(parsing: text)
    }

    /// Writes a link file as Distribution does: the digest string, no newline.
    func writeLink(_ path: StoragePath, to digest: OCIDigest) async throws {
        try await putContent(path, ByteBuffer(string: digest.description))
    }

    /// Deletes `path`, treating "already gone" as success.
    func deleteIfPresent(_ path: StoragePath) async throws {
        do {
            try await delete(path)
        } catch StorageError.notFound {
        }
    }

    /// Stat that answers `nil` for a missing path.
    func statIfPresent(_ path: StoragePath) async throws -> StorageFileInfo? {
        do {
            return try await stat(path)
        } catch StorageError.notFound {
            return nil
        }
    }
}
