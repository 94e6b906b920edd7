import Foundation
import NIOCore
import Testing
import WharfContent
import WharfStorage
import WharfTestSupport

@Suite("Crash safety of uploads", .timeLimit(.minutes(2)))
struct CrashSafetyTests {
    static let size = 6 << 20
    static let blob: [UInt8] = {
        var generator = SeededGenerator(seed: 99)
        return (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }()
    static let digest = DigestHasher.digest(of: blob)

    @Test("a writer killed mid-upload leaves nothing visible, and the upload resumes from the stored offset")
    func killMidUploadThenResume() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let writer = try InteractiveProcess(
            try WharfBinary.path,
            [
                "blob", "put", "--root", root, "--digest", Self.digest.description, "--chunk-size", "1048576",
                "crash/test", "-",
            ])
        let uploadLine = await writer.waitForLine { $0.hasPrefix("upload ") }
        let id = try #require(uploadLine.map { String($0.dropFirst("upload ".count)) })
        let half = 3 << 20
        try writer.write(Data(Self.blob[..<half]))
        // Kill as soon as the writer acknowledges the first half: mid-upload, input still open.
        _ = await writer.waitForLine { $0 == "offset \(half)" }
        await writer.kill()

        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        let repository = try store.repository("crash/test")
        #expect(try await repository.blob(Self.digest) == nil, "no blob is visible")
        #expect(
            try await store.driver.exists(RegistryLayout.blobData(Self.digest)) == false,
            "nothing in the blob store")
        let upload = try await repository.upload(id)
        #expect(try await upload.offset() == Int64(half), "every acknowledged byte survived the kill")

        let resumed = try InteractiveProcess(
            try WharfBinary.path,
            [
                "blob", "put", "--root", root, "--digest", Self.digest.description, "--resume", id,
                "crash/test", "-",
            ])
        try resumed.write(Data(Self.blob[half...]))
        try resumed.closeInput()
        let done = await resumed.waitForLine { $0.hasPrefix("blob ") }
        #expect(done == "blob \(Self.digest) \(Self.size)")
        #expect(await resumed.waitForExit() == 0)
        #expect(
            try await repository.readBlob(Self.digest).content.collect(upTo: Self.size)
                == ByteBuffer(bytes: Self.blob))
    }

    @Test("after a killed upload, a fresh upload of the same blob succeeds and the stale one can be purged")
    func restartAfterKill() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        let writer = try InteractiveProcess(
            try WharfBinary.path,
            [
                "blob", "put", "--root", root, "--digest", Self.digest.description, "--chunk-size", "1048576",
                "crash/test",
                "-",
            ])
        _ = await writer.waitForLine { $0.hasPrefix("upload ") }
        try writer.write(Data(Self.blob[..<(1 << 20)]))
        _ = await writer.waitForLine { $0.hasPrefix("offset ") }
        await writer.kill()

        let file = directory.appending("blob")
        try Data(Self.blob).write(to: URL(fileURLWithPath: file))
        let fresh = try await ProcessRunner.run(
            try WharfBinary.path, ["blob", "put", "--root", root, "crash/test", file])
        #expect(fresh.contains("blob \(Self.digest) \(Self.size)"))
        let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root))
        #expect(
            try await store.purgeUploads(olderThan: .zero, now: Date().addingTimeInterval(1)) == 1,
            "only the stale upload remains")
        #expect(
            try await store.repository("crash/test").readBlob(Self.digest).content.collect(upTo: Self.size)
                .readableBytes == Self.size)
    }
}
