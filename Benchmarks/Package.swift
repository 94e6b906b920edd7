// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that `swift test` on Wharf never builds the
// benchmark harness. Run with: `swift package --package-path Benchmarks benchmark`.
let package = Package(
    name: "WharfBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Wharf", path: ".."),
        .package(
            url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "DigestBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WharfContent", package: "Wharf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/DigestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WharfContent", package: "Wharf"),
                .product(name: "WharfStorage", package: "Wharf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SignBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WharfContent", package: "Wharf"),
                .product(name: "WharfImage", package: "Wharf"),
                .product(name: "WharfSign", package: "Wharf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SignBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "RetentionBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "WharfPolicy", package: "Wharf"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/RetentionBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
