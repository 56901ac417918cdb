// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "fieldnote",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fieldnote", targets: ["fieldnote"]),
        .library(name: "SyncCore", targets: ["SyncCore"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Transport", targets: ["Transport"]),
        .library(name: "Findings", targets: ["Findings"]),
        .library(name: "Sealing", targets: ["Sealing"]),
        .library(name: "Pairing", targets: ["Pairing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // OpenSSL 3 from the system (Debian: libssl-dev). Module map and macro shims only.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // SQLite's variadic configuration calls, which Swift cannot make (module map and shims only);
        // the library itself comes to Storage through GRDBSQLite (Debian: libsqlite3-dev).
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Pure Swift: ids, clocks, version vectors, ops, CRDTs, codec. No I/O, no dependencies.
        .target(name: "SyncCore"),
        .target(
            name: "Storage",
            dependencies: [
                "SyncCore",
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The write path binds its hot statements through SQLite's C API (BoundStatement).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Keys and envelopes for evidence records: X25519 sealing to reps, Ed25519 keys made from
        // seeds, HMAC and HKDF. Through OpenSSL; no I/O.
        .target(name: "Sealing", dependencies: ["COpenSSL"]),
        .target(
            name: "Transport",
            dependencies: [
                "COpenSSL",
                "Sealing",
                "Pairing",
                "Storage",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "Findings", dependencies: ["Storage", "Sealing"]),
        // SPAKE2 over P-256 (RFC 9382): two devices agree on a key from a short spoken code. A pure
        // state machine through OpenSSL; no I/O.
        .target(name: "Pairing", dependencies: ["COpenSSL", "Sealing"]),
        .executableTarget(
            name: "fieldnote",
            dependencies: [
                "Findings",
                "Sealing",
                "Transport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SyncCoreTests", dependencies: ["SyncCore"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport"]),
        .testTarget(name: "FindingsTests", dependencies: ["Findings", "Sealing"]),
        .testTarget(name: "SealingTests", dependencies: ["Sealing"]),
        .testTarget(name: "PairingTests", dependencies: ["Pairing", "Sealing"]),
        .testTarget(name: "FieldnoteTests", dependencies: ["fieldnote", "Storage", "Findings", "Transport", "Sealing"]),
    ]
)
