import Foundation
import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("Blob uploads")
struct BlobUploadTests {
    static let blob = Array((0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 13) })
    static let digest = DigestHasher.digest(of: blob)

    @Test("chunks appended in order commit to a verified, linked blob", arguments: DriverKind.allCases)
    func chunkedUpload(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let repository = try RegistryStore(driver: try kind.make(in: directory)).repository("team/app")
        let upload = try await repository.startUpload()
        #expect(try await upload.offset() == 0)
        #expect(
            try await upload.append(ByteStream(ByteBuffer(bytes: Self.blob[..<40_000])), expectedOffset: 0)
                == 40_000)
        #expect(
            try await upload.append(
                ByteStream(ByteBuffer(bytes: Self.blob[40_000..<70_000])), expectedOffset: 40_000) == 70_000)
        #expect(try await upload.offset() == 70_000)
        let descriptor = try await upload.commit(
            digest: Self.digest, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob[70_000...])),
            expectedOffset: 70_000)
        #expect(descriptor.size == Int64(Self.blob.count))
        #expect(try await repository.blob(Self.digest)?.size == Int64(Self.blob.count))
        #expect(try await repository.readBlob(Self.digest).content.bytes() == Self.blob)
        #expect(
            try await repository.readBlob(Self.digest, range: 10..<20).content.bytes()
                == Array(Self.blob[10..<20]))
        await #expect(throws: RegistryStoreError.blobUploadUnknown(upload.id)) { try await upload.offset() }
    }

    @Test(
        "a chunk that does not start at the current size is refused with that size",
        arguments: DriverKind.allCases)
    func outOfOrderChunk(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let repository = try RegistryStore(driver: try kind.make(in: directory)).repository("a")
        let upload = try await repository.startUpload()
        try await upload.append(ByteStream(ByteBuffer(bytes: Self.blob[..<100])), expectedOffset: 0)
        for wrong in [Int64(0), 50, 101] {
            await #expect(throws: RegistryStoreError.rangeInvalid(currentSize: 100)) {
                try await upload.append(
                    ByteStream(ByteBuffer(bytes: Self.blob[100..<200])), expectedOffset: wrong)
            }
        }
        #expect(try await upload.offset() == 100, "refused chunks change nothing")
    }

    @Test("a wrong digest stores nothing and ends the upload", arguments: DriverKind.allCases)
    func wrongDigest(kind: DriverKind) async throws {
        let directory = try TemporaryDirectory()
        let store = RegistryStore(driver: try kind.make(in: directory))
        let repository = try store.repository("a")
        let upload = try await repository.startUpload()
        let claimed = DigestHasher.digest(of: Array("something else".utf8))
        await #expect(throws: RegistryStoreError.digestInvalid(expected: claimed, actual: Self.digest)) {
            try await upload.commit(digest: claimed, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob)))
        }
        #expect(try await repository.blob(claimed) == nil)
        #expect(try await repository.blob(Self.digest) == nil)
        #expect(try await store.driver.exists(RegistryLayout.blobData(Self.digest)) == false)
        await #expect(throws: RegistryStoreError.blobUploadUnknown(upload.id)) {
            try await repository.upload(upload.id).offset()
        }
    }

    @Test("an upload resumes in a new store instance (a restarted process) and commits")
    func resumesAfterRestart() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let first = try RegistryStore(driver: FileSystemDriver(rootDirectory: root)).repository("a")
        let upload = try await first.startUpload()
        try await upload.append(ByteStream(ByteBuffer(bytes: Self.blob[..<60_000])))
        let restarted = try RegistryStore(driver: FileSystemDriver(rootDirectory: root)).repository("a")
        let resumed = try restarted.upload(upload.id)
        #expect(try await resumed.offset() == 60_000)
        let descriptor = try await resumed.commit(
            digest: Self.digest, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob[60_000...])),
            expectedOffset: 60_000)
        #expect(descriptor.digest == Self.digest)
        #expect(try await restarted.readBlob(Self.digest).content.bytes() == Self.blob)
    }

    @Test("sha512 uploads commit under their sha512 digest")
    func sha512Upload() async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        let digest = DigestHasher.digest(of: Self.blob, algorithm: .sha512)
        let upload = try await repository.startUpload(algorithm: .sha512)
        let descriptor = try await upload.commit(
            digest: digest, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob)))
        #expect(descriptor.digest == digest)
        #expect(try await repository.readBlob(digest).content.bytes() == Self.blob)
    }

    @Test("the same blob uploaded to two repositories is stored once; mount links without bytes")
    func deduplicationAndMount() async throws {
        let directory = try TemporaryDirectory()
        let driver = try FileSystemDriver(rootDirectory: directory.appending("root"))
        let store = RegistryStore(driver: driver)
        for name in ["one", "two"] {
            let upload = try await store.repository(name).startUpload()
            try await upload.commit(digest: Self.digest, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob)))
        }
        var dataFiles = 0
        try await driver.walk(RegistryLayout.blobs, startAfter: nil) { info in
            if info.path.lastComponent == "data" { dataFiles += 1 }
            return .proceed
        }
        #expect(dataFiles == 1)
        let three = try store.repository("three")
        #expect(try await three.blob(Self.digest) == nil, "not linked before the mount")
        #expect(try await three.mountBlob(Self.digest, from: store.repository("one"))?.digest == Self.digest)
        #expect(try await three.mountBlob(DigestHasher.digest(of: [1]), from: store.repository("one")) == nil)
        #expect(try await three.readBlob(Self.digest).content.bytes() == Self.blob)
    }

    @Test("reading a blob whose stored bytes were corrupted fails instead of serving them")
    func corruptedBlobReadFails() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let repository = try RegistryStore(driver: FileSystemDriver(rootDirectory: root)).repository("a")
        try await repository.startUpload().commit(
            digest: Self.digest, finalChunk: ByteStream(ByteBuffer(bytes: Self.blob)))
        var corrupted = Self.blob
        corrupted[99_999] ^= 0xff
        try Data(corrupted).write(
            to: URL(fileURLWithPath: root + RegistryLayout.blobData(Self.digest).rawValue))
        await #expect {
            _ = try await repository.readBlob(Self.digest).content.bytes()
        } throws: { error in
            if case RegistryStoreError.blobCorrupted(let digest, _) = error { return digest == Self.digest }
            return false
        }
    }

    @Test("an upload survives purges until it is older than the purge age")
    func purgeOldUploads() async throws {
        let store = RegistryStore(driver: InMemoryDriver())
        let repository = try store.repository("a")
        let upload = try await repository.startUpload()
        #expect(try await store.purgeUploads(olderThan: .seconds(3600)) == 0)
        #expect(try await repository.upload(upload.id).offset() == 0, "a fresh upload is kept")
        #expect(
            try await store.purgeUploads(olderThan: .seconds(3600), now: Date().addingTimeInterval(7200)) == 1
        )
        await #expect(throws: RegistryStoreError.blobUploadUnknown(upload.id)) {
            try await repository.upload(upload.id).offset()
        }
    }

    @Test("a session started long ago but written to within the purge age is in use and stays")
    func purgeKeepsSessionsInUse() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let repository = try store.repository("a")
        let upload = try await repository.startUpload()
        try await upload.append(ByteStream(ByteBuffer(bytes: [1, 2, 3])), expectedOffset: 0)
        let session = try RegistryLayout.upload("a", upload.id)
        let weekAgo = Date().addingTimeInterval(-8 * 86_400)
        try await store.driver.putContent(
            session.appending("startedat"), ByteBuffer(string: RegistryRepository.timestamp(weekAgo)))
        #expect(try await store.purgeUploads(olderThan: .seconds(3600)) == 0, "written a moment ago")
        #expect(try await repository.upload(upload.id).offset() == 3)
        try FileManager.default.setAttributes(
            [.modificationDate: weekAgo], ofItemAtPath: root + session.appending("data").rawValue)
        #expect(try await store.purgeUploads(olderThan: .seconds(3600)) == 1, "idle for a week: abandoned")
    }

    @Test(
        "upload identifiers that are not ours are unknown, never paths",
        arguments: ["../x", "a/b", "", ".", String(repeating: "a", count: 200)])
    func hostileUploadIDs(id: String) async throws {
        let repository = try RegistryStore(driver: InMemoryDriver()).repository("a")
        await #expect(throws: RegistryStoreError.blobUploadUnknown(id)) { try await repository.upload(id) }
    }
}
