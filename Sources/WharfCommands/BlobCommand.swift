import ArgumentParser
import Foundation
import NIOCore
import WharfContent
import WharfStorage

/// `wharf blob`: works on blobs in a storage root directly, without a server.
struct BlobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blob", abstract: "Put and get blobs in a storage root directly.",
        subcommands: [BlobPutCommand.self, BlobGetCommand.self])
}

/// `wharf blob put --root DIR REPO FILE`: uploads a file (or standard input) as a blob,
/// resumably, reporting the upload's offset after every chunk.
struct BlobPutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Upload a file or standard input into a repository of a storage root.",
        discussion: """
            Prints `upload <id>`, then `offset <bytes>` after each chunk, then `blob <digest> <size>`. \
            An interrupted upload continues with --resume <id>: the bytes already stored are kept \
            and the input is read from the stored offset on (a file is seeked; standard input \
            must supply the remaining bytes).
            """)

    @Option(help: "The storage root.")
    var root = "./wharf-data"

    @Option(help: "The expected digest; required when reading standard input.")
    var digest: String?

    @Option(help: "Continue the upload with this id.")
    var resume: String?

    @Option(help: "Bytes per chunk: each chunk is stored durably (fsynced) before its offset is reported.")
    var chunkSize = 64 << 20

    @Argument(help: "The repository.")
    var repository: String

    @Argument(help: "The file to upload, or - for standard input.")
    var file: String

    func run() async throws {
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let target = try store.repository(repository)
        let expected = try await expectedDigest()
        let upload: BlobUpload
        if let resume {
            upload = try await target.upload(resume, algorithm: expected.algorithm)
        } else {
            upload = try await target.startUpload(algorithm: expected.algorithm)
        }
        emitLine("upload \(upload.id)")
        var offset = try await upload.offset()
        if file == "-" {
            for try await chunk in StandardInputChunks(chunkSize: chunkSize) {
                offset = try await upload.append(ByteStream(chunk), expectedOffset: offset)
                emitLine("offset \(offset)")
            }
        } else {
            // Each segment of the file is one durable append, read in 1 MiB pieces.
            let path = file
            let size = try await FileSystemThreadPool.run {
                (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            }
            while offset < size {
                let segment = FileByteStream(
                    path: file, offset: offset, length: min(Int64(chunkSize), size - offset))
                offset = try await upload.append(ByteStream(segment), expectedOffset: offset)
                emitLine("offset \(offset)")
            }
        }
        let descriptor = try await upload.commit(digest: expected)
        emitLine("blob \(descriptor.digest) \(descriptor.size)")
    }

    private func expectedDigest() async throws -> OCIDigest {
        if let digest {
            do {
                return try OCIDigest(parsing: digest)
            } catch {
                throw ValidationError("\(error)")
            }
        }
        guard file != "-" else { throw ValidationError("--digest is required when reading standard input") }
        let hasher = DigestHasher()
        for try await chunk in FileByteStream(path: file) { hasher.update(chunk) }
        return hasher.finalize()
    }
}

/// `wharf blob get --root DIR REPO DIGEST`: writes a blob to standard output, verifying its
/// digest as it streams (a corrupted blob fails with a non-zero status).
struct BlobGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Write a blob of a repository to standard output, verified.")

    @Option(help: "The storage root.")
    var root = "./wharf-data"

    @Argument(help: "The repository.")
    var repository: String

    @Argument(help: "The blob's digest.")
    var digest: String

    func run() async throws {
        let parsed: OCIDigest
        do {
            parsed = try OCIDigest(parsing: digest)
        } catch {
            throw ValidationError("\(error)")
        }
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let output = FileHandle.standardOutput
        for try await chunk in try await store.repository(repository).readBlob(parsed).content {
            try await FileSystemThreadPool.run { try output.write(contentsOf: Data(chunk.readableBytesView)) }
        }
    }
}

/// Standard input as chunks, read on the blocking-I/O pool.
struct StandardInputChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunkSize: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunkSize: Int

        mutating func next() async throws -> ByteBuffer? {
            let size = chunkSize
            let data = try await FileSystemThreadPool.run {
                // A partial read is a whole chunk to us: report progress as bytes arrive.
                FileHandle.standardInput.readData(ofLength: size)
            }
            return data.isEmpty ? nil : ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunkSize: chunkSize) }
}

/// Writes a line to standard output immediately (unbuffered), so a watching process sees
/// progress as it happens.
func emitLine(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
