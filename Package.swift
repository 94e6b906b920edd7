// swift-tools-version: 6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Wharf",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "WharfContent", targets: ["WharfContent"]),
        .library(name: "WharfImage", targets: ["WharfImage"]),
        .library(name: "WharfStorage", targets: ["WharfStorage"]),
        .library(name: "WharfContentTestKit", targets: ["WharfContentTestKit"]),
        .library(name: "WharfStorageTestKit", targets: ["WharfStorageTestKit"]),
        .library(name: "WharfServer", targets: ["WharfServer"]),
        .library(name: "WharfServerAuth", targets: ["WharfServerAuth"]),
        .library(name: "WharfClient", targets: ["WharfClient"]),
        .library(name: "WharfScan", targets: ["WharfScan"]),
        .library(name: "WharfSign", targets: ["WharfSign"]),
        .library(name: "WharfMetadata", targets: ["WharfMetadata"]),
        .library(name: "WharfPolicy", targets: ["WharfPolicy"]),
        .executable(name: "wharf", targets: ["wharf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CWharfCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CWharfZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "WharfContent",
            dependencies: [
                "CWharfCrypto",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfImage",
            dependencies: [
                "WharfContent",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfStorage",
            dependencies: [
                "WharfContent",
                "WharfImage",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfContentTestKit",
            dependencies: ["WharfContent"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfStorageTestKit",
            dependencies: ["WharfStorage", "WharfContent", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfServer",
            dependencies: [
                "WharfContent",
                "WharfImage",
                "WharfStorage",
                "WharfSign",
                "WharfMetadata",
                "WharfPolicy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfServerAuth",
            dependencies: [
                "WharfServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfClient",
            dependencies: [
                "WharfContent",
                "WharfImage",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfScan",
            dependencies: [
                "CWharfZlib",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                "WharfContent",
                "WharfImage",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfSign",
            dependencies: [
                "CWharfCrypto",
                "WharfContent",
                "WharfImage",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfMetadata",
            dependencies: [
                "WharfContent",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfPolicy",
            dependencies: [
                "WharfContent",
                "WharfStorage",
                "WharfMetadata",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfCommands",
            dependencies: [
                "WharfClient",
                "WharfScan",
                "WharfContent",
                "WharfImage",
                "WharfStorage",
                "WharfServer",
                "WharfServerAuth",
                "WharfSign",
                "WharfPolicy",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "wharf",
            dependencies: ["WharfCommands"],
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfTestSupport",
            path: "Tests/WharfTestSupport",
            swiftSettings: strictSwift
        ),
        .target(
            name: "WharfServerTestSupport",
            dependencies: ["WharfServer", "WharfServerAuth", "WharfTestSupport"],
            path: "Tests/WharfServerTestSupport",
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfContentTests",
            dependencies: [
                "WharfContentTestKit",
                "WharfContent", "WharfTestSupport", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfImageTests",
            dependencies: [
                "WharfContentTestKit",
                "WharfImage", "WharfContent", "WharfTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfStorageTests",
            dependencies: [
                "WharfContentTestKit",
                "WharfStorage", "WharfStorageTestKit", "WharfImage", "WharfContent", "WharfTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfServerTests",
            dependencies: [
                "WharfServer", "WharfServerAuth", "WharfStorage", "WharfImage", "WharfContent", "WharfSign",
                "WharfTestSupport", "WharfServerTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfClientTests",
            dependencies: [
                "WharfContentTestKit",
                "WharfClient", "WharfServer", "WharfServerAuth", "WharfStorage", "WharfImage", "WharfContent",
                "WharfTestSupport", "WharfServerTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfScanTests",
            dependencies: [
                "WharfScan", "WharfImage", "WharfContent", "WharfTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfPolicyTests",
            dependencies: ["WharfPolicy", "WharfTestSupport"],
            exclude: ["Oracles"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfMetadataTests",
            dependencies: ["WharfMetadata", "WharfTestSupport"],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfSignTests",
            dependencies: [
                "WharfSign", "WharfTestSupport", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "WharfCommandsTests",
            dependencies: [
                "WharfCommands", "WharfClient", "WharfImage", "WharfContent", "WharfStorage", "WharfMetadata",
                "WharfPolicy", "WharfTestSupport",
                "wharf",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSwift
        ),
    ],
    swiftLanguageModes: [.v6]
)
