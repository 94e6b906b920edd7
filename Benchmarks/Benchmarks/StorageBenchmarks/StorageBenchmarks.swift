import Benchmark
import Foundation
import NIOCore
import WharfContent
import WharfStorage

/// A 256 MiB blob uploaded through `RegistryStore` on a `FileSystemDriver` (one append of
/// 1 MiB pieces, hashed while written, fsynced, moved into the blob store), with direct
/// I/O on and off, and read back verified (the first read of a directly written blob
/// comes from the disk, later ones from the page cache). In-process, so the figures hold the storage
/// layer alone: `Benchmarks/compare-storage.sh` compares the same work with `cp`.
let benchmarks: @Sendable () -> Void = {
    let pieceSize = 1 << 20
    let pieces = 256
    var generator = SystemRandomNumberGenerator()
    let piece = ByteBuffer(bytes: (0..<pieceSize).map { _ in UInt8.random(in: 0...255, using: &generator) })
    let hasher = DigestHasher()
    for _ in 0..<pieces { hasher.update(piece) }
    let digest = hasher.finalize()
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident],
        timeUnits: .milliseconds,
        scalingFactor: .one,
        maxDuration: .seconds(30),
        maxIterations: 10
    )

    for directIO in [true, false] {
        Benchmark("Blob upload, 256 MiB, direct I/O \(directIO ? "on" : "off")", configuration: configuration)
        {
            benchmark in
            // One upload per sample; creating and removing the root stay outside the clock.
            let root = try temporaryRoot()
            defer { try? FileManager.default.removeItem(atPath: root) }
            let store = RegistryStore(driver: try FileSystemDriver(rootDirectory: root, directIO: directIO))
            benchmark.startMeasurement()
            let upload = try await store.repository("bench/blob").startUpload()
            try await upload.append(ByteStream(RepeatedBuffer(buffer: piece, count: pieces)))
            blackHole(try await upload.commit(digest: digest))
            benchmark.stopMeasurement()
        }
    }

    Benchmark("Blob read, 256 MiB, verified", configuration: configuration) { benchmark in
        let root = try temporaryRoot()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let repository = try RegistryStore(driver: try FileSystemDriver(rootDirectory: root)).repository(
            "bench/blob")
        let upload = try await repository.startUpload()
        try await upload.append(ByteStream(RepeatedBuffer(buffer: piece, count: pieces)))
        _ = try await upload.commit(digest: digest)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var bytes = 0
            for try await chunk in try await repository.readBlob(digest).content {
                bytes += chunk.readableBytes
            }
            blackHole(bytes)
        }
    }
}

/// A fresh storage root under the temporary directory (on the same disk as the rest of
/// the system's temporary files, not in memory, where that is a disk).
func temporaryRoot() throws -> String {
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("wharf-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One buffer yielded `count` times: an upload body without a source file's reads.
struct RepeatedBuffer: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer
    let count: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: ByteBuffer
        var remaining: Int

        mutating func next() async throws -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer, remaining: count) }
}
