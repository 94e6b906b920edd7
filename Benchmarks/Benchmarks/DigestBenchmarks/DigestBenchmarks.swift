import Benchmark
import NIOCore
import WharfContent

/// Streaming SHA-256 and SHA-512 over 1 GiB fed in 1 MiB chunks: the hashing cost of
/// verifying a 1 GiB blob as it streams, with no I/O in the way.
let benchmarks: @Sendable () -> Void = {
    let chunkSize = 1 << 20
    let chunks = 1024  // 1 GiB
    var generator = SystemRandomNumberGenerator()
    let chunk = ByteBuffer(bytes: (0..<chunkSize).map { _ in UInt8.random(in: 0...255, using: &generator) })

    for algorithm in DigestAlgorithm.allCases {
        Benchmark(
            "Streaming \(algorithm.rawValue), 1 GiB in 1 MiB chunks",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident],
                timeUnits: .milliseconds,
                scalingFactor: .one,
                maxDuration: .seconds(20),
                maxIterations: 8
            )
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                let hasher = DigestHasher(algorithm: algorithm)
                for _ in 0..<chunks { hasher.update(chunk) }
                blackHole(hasher.finalize())
            }
        }
    }
}
