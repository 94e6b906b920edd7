// swift-tools-version: 6.1
// Examples of embedding Wharf, built by CI as a separate package that depends on Wharf by
// path, as an embedder's package would: only public API is visible from here, and
// MemberImportVisibility makes every import an embedder needs show.
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "WharfExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Wharf", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        // A registry inside a Hummingbird application, over a storage driver of its own.
        .executableTarget(
            name: "EmbeddedRegistry",
            dependencies: [
                .product(name: "WharfStorage", package: "Wharf"),
                .product(name: "WharfServer", package: "Wharf"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: settings),
        // A scanner tool with a cataloger of its own.
        .executableTarget(
            name: "ScanTool",
            dependencies: [.product(name: "WharfScan", package: "Wharf")],
            swiftSettings: settings),
        // An image mirror between registries.
        .executableTarget(
            name: "ImageMirror",
            dependencies: [.product(name: "WharfClient", package: "Wharf")],
            swiftSettings: settings),
        // The README's code blocks, extracted by .ci/readme-snippets.py (not committed).
        .target(
            name: "ReadmeSnippets",
            dependencies: [
                .product(name: "WharfImage", package: "Wharf"),
                .product(name: "WharfStorage", package: "Wharf"),
                .product(name: "WharfServer", package: "Wharf"),
                .product(name: "WharfClient", package: "Wharf"),
                .product(name: "WharfScan", package: "Wharf"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: settings),
        .testTarget(
            name: "EmbeddedRegistryTests",
            dependencies: [
                "EmbeddedRegistry",
                .product(name: "WharfStorage", package: "Wharf"),
                .product(name: "WharfStorageTestKit", package: "Wharf"),
                .product(name: "WharfContentTestKit", package: "Wharf"),
            ],
            swiftSettings: settings),
    ]
)
