// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "VoicePOS",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "voicepos", targets: ["voicepos"]),
        .library(name: "RetailModel", targets: ["RetailModel"]),
        .library(name: "Understanding", targets: ["Understanding"]),
        .library(name: "Commerce", targets: ["Commerce"]),
        .library(name: "Conversation", targets: ["Conversation"]),
        .library(name: "StoreSimulator", targets: ["StoreSimulator"]),
        .library(name: "Replay", targets: ["Replay"]),
        .library(name: "Connectors", targets: ["Connectors"]),
        .library(name: "PlatformFronts", targets: ["PlatformFronts"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "Server", targets: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The loopback platform fronts' HTTP server; its default traits (swift-configuration, full Foundation) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Already in Hummingbird's graph; named for the server's logger, header and buffer types.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in Hummingbird's graph: the gateway's counters and timers, for any metrics backend (Prometheus…).
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        // The /metrics endpoint's Prometheus text; adds only swift-atomics, already in NIO's graph.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already in Hummingbird's graph: the server's shutdown deadline (a service group's graceful-shutdown limit).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "RetailModel", swiftSettings: strict),
        .target(
            name: "StoreSimulator",
            dependencies: ["RetailModel", "Yams"],
            resources: [.copy("Resources/demo-store.yaml")],
            swiftSettings: strict
        ),
        .target(name: "Commerce", dependencies: ["RetailModel"], swiftSettings: strict),
        .target(name: "Connectors", dependencies: ["RetailModel", .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(
            name: "Gateway",
            dependencies: ["RetailModel", .product(name: "Metrics", package: "swift-metrics"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict),
        .target(
            name: "PlatformFronts",
            dependencies: [
                "RetailModel", "StoreSimulator", "Connectors", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Understanding", dependencies: ["RetailModel", "Yams"], resources: [.copy("Resources/everyday-english.txt")],
            swiftSettings: strict),
        .target(
            name: "Conversation",
            dependencies: ["RetailModel", "Understanding", "Commerce", "Yams"],
            resources: [.copy("Resources/error-replies.yaml")],
            swiftSettings: strict
        ),
        .target(
            name: "Replay",
            dependencies: [
                "RetailModel", "Understanding", "Commerce", "Conversation", "StoreSimulator", "Connectors", "PlatformFronts", "Gateway", "Yams",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "Server",
            dependencies: [
                "Conversation", "Gateway", "Connectors", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "voicepos",
            dependencies: [
                "RetailModel", "Understanding", "Conversation", "StoreSimulator", "Replay", "Connectors", "Gateway", "Server",
                .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "VoicePOSTests",
            dependencies: [
                "Replay", "Conversation", "StoreSimulator", "Understanding", "Commerce", "RetailModel", "Connectors", "PlatformFronts", "Gateway",
                "Server", "Yams", .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strict
        ),
    ]
)
