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
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
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
        // glibc's malloc tuning (not in Swift's Glibc module): large freed blocks go back at once.
        .target(name: "CMallocShim"),

        // The shared HTTP connection pool: the only importer of libcurl.
        .target(
            name: "TidepoolPool",
            dependencies: [
                "CCurlShim",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks, and the local servers they (and the tests) run against: nginx, and a
        // hostile server answering with every fault.
        .target(name: "TidepoolBench", dependencies: ["TidepoolPool", "TidepoolProviders"]),
        // `bench screen`: the real chat pipeline (simulator child -> pool -> providers -> app
        // -> views -> curses into a pty), measured.
        .target(
            name: "TidepoolScreenBench",
            dependencies: ["TidepoolPool", "TidepoolProviders", "TidepoolChat", "TidepoolTUI", "TidepoolCurses", "TidepoolSim"]
        ),
        // Wire protocols of the model servers, over the pool.
        .target(name: "TidepoolProviders", dependencies: ["TidepoolPool"]),

        // App state, the update function and the runtime that streams chats.
        .target(name: "TidepoolChat", dependencies: ["TidepoolProviders", "TidepoolStore"]),
        // Cells, grid, layout, widgets, themes, markdown, the app's views and the chat loop
        // over a terminal protocol: the terminal-independent screen layer.
        .target(
            name: "TidepoolTUI",
            dependencies: ["TidepoolChat", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The ncurses backend: paints screen diffs, decodes keys; the only importer of CCurses.
        .target(
            name: "TidepoolCurses",
            dependencies: ["TidepoolTUI", "CCursesShim"],
            linkerSettings: [.linkedLibrary("util")]
        ),
        // The config file and the chat history database.
        .target(
            name: "TidepoolStore",
            dependencies: [
                "TidepoolPool",
                // The one table of wire formats and built-in providers the validator checks against.
                "TidepoolProviders",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Start a Hummingbird application and wait until it listens, stop it: the one
        // lifecycle the simulator and the metrics endpoint share (Hummingbird only).
        .target(
            name: "TidepoolServing",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The loopback simulated model server: demo default, test fixture, benchmark target.
        .target(
            name: "TidepoolSim",
            dependencies: [
                "TidepoolServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The pool's and the servers' numbers out, in the Prometheus text format, on a small
        // loopback HTTP endpoint (`--metrics-listen`, whose address type the config owns).
        .target(
            name: "TidepoolMetrics",
            dependencies: [
                "TidepoolPool",
                "TidepoolProviders",
                "TidepoolStore",
                "TidepoolServing",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // What the commands run, below argument parsing: output to the terminal, the log
        // file, signal watching, the embedded simulator, the chat screen's start-up and loop.
        .target(
            name: "TidepoolApp",
            dependencies: [
                "TidepoolChat",
                "TidepoolTUI",
                "TidepoolCurses",
                "TidepoolStore",
                "TidepoolSim",
                "TidepoolMetrics",
                "CMallocShim",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The command line: argument parsing and wiring only.
        .executableTarget(
            name: "tidepool",
            dependencies: [
                "TidepoolApp",
                "TidepoolPool",
                "TidepoolProviders",
                "TidepoolChat",
                "TidepoolTUI",
                "TidepoolStore",
                "TidepoolSim",
                "TidepoolBench",
                "TidepoolScreenBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Test helpers shared by the test targets.
        .target(name: "TestSupport", dependencies: ["TidepoolBench"], path: "Tests/TestSupport"),
        .testTarget(name: "TidepoolPoolTests", dependencies: ["TidepoolPool", "TestSupport"]),
        .testTarget(name: "TidepoolChatTests", dependencies: ["TidepoolChat", "TestSupport"]),
        .testTarget(name: "TidepoolSimTests", dependencies: ["TidepoolSim", "TestSupport"]),
        .testTarget(
            name: "TidepoolProvidersTests",
            dependencies: ["TidepoolProviders", "TestSupport"]
        ),
        .testTarget(name: "TidepoolTUITests", dependencies: ["TidepoolTUI", "TestSupport"]),
        // Real ncurses on pseudo-terminals, key decoding, and what a crash leaves behind.
        .testTarget(name: "TidepoolCursesTests", dependencies: ["TidepoolCurses", "CCursesShim", "TestSupport"]),
        .testTarget(name: "TidepoolStoreTests", dependencies: ["TidepoolStore", "TestSupport"]),
        .testTarget(
            name: "TidepoolMetricsTests",
            dependencies: ["TidepoolMetrics", "TidepoolStore", "TidepoolSim", "TidepoolBench", "TestSupport"]
        ),
        .testTarget(name: "TidepoolAppTests", dependencies: ["TidepoolApp"]),
        // Every fault a server can commit, through the real pipeline against a hostile
        // loopback server, and a soak with mixed faults through one pool manager.
        .testTarget(
            name: "TidepoolFaultTests",
            dependencies: ["TidepoolPool", "TidepoolProviders", "TidepoolTUI", "TidepoolBench", "TestSupport"]
        ),
        // Drives the built `tidepool` binary as a subprocess (run alone with
        // `swift test --filter TidepoolEndToEndTests`).
        .testTarget(
            name: "TidepoolEndToEndTests",
            dependencies: ["TidepoolChat", "TidepoolSim", "TidepoolStore", "TidepoolBench", "TestSupport", "CCursesShim"]
        ),
    ]
)
