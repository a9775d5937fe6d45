// swift-tools-version:6.1
import PackageDescription

/// Tidepool: a terminal chat client for several language models at once, all sending through
/// one shared libcurl connection pool. Targets and their one-way dependencies are described in
/// the design notes; each target owns one responsibility.
let package = Package(
    name: "tidepool",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidepool", targets: ["tidepool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
    ],
    targets: [
        // C system libraries and their typed shims.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .systemLibrary(
            name: "CCurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(name: "CCursesShim", dependencies: ["CCurses"]),

        // The shared HTTP connection pool: the only importer of libcurl.
        .target(
            name: "TidepoolPool",
            dependencies: [
                "CCurlShim",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Wire protocols of the model servers, over the pool.
        .target(name: "TidepoolProviders", dependencies: ["TidepoolPool"]),

        // The loopback simulated model server: demo default, test fixture, benchmark target.
        .target(
            name: "TidepoolSim",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The command line: wiring only.
        .executableTarget(
            name: "tidepool",
            dependencies: [
                "TidepoolPool",
                "TidepoolProviders",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test helpers shared by the test targets.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TidepoolPoolTests", dependencies: ["TidepoolPool", "TestSupport"]),
        .testTarget(name: "TidepoolSimTests", dependencies: ["TidepoolSim", "TestSupport"]),
        .testTarget(
            name: "TidepoolProvidersTests",
            dependencies: ["TidepoolProviders", "TestSupport"]
        ),
    ]
)
