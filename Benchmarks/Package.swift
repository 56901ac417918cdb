// swift-tools-version:6.1
import PackageDescription

// Benchmarks live in their own package so that the main build and test run stay lean.
let package = Package(
    name: "fieldnote-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "fieldnote", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The store benchmark's plain-SQLite baseline goes through GRDB, like the store itself.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // Only to quieten the sync server's info lines while the sync benchmark runs.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .executableTarget(
            name: "fieldnote-bench",
            dependencies: [
                .product(name: "SyncCore", package: "fieldnote"),
                .product(name: "Storage", package: "fieldnote"),
                .product(name: "Transport", package: "fieldnote"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
