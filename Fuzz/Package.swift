// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets, one executable per decoder, in their own package so that the main build
// and test run never compile with the fuzzer. Built and run by `Fuzz/run`:
//   swift build --package-path Fuzz --sanitize=fuzzer --sanitize=address -c debug \
//       -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table
// (the coverage flag is needed: with ASan beside it, -sanitize=fuzzer alone instruments nothing).
let package = Package(
    name: "fieldnote-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "fieldnote", path: ".."),
    ],
    targets: [
        // OpCodec.decode: the op/batch decoder (Protocol.md 1).
        .executableTarget(
            name: "fuzz-opbatch",
            dependencies: [.product(name: "SyncCore", package: "fieldnote")]
        ),
        // Frames and messages as a peer sends them (Protocol.md 2.3, 2.5).
        .executableTarget(
            name: "fuzz-wire",
            dependencies: [.product(name: "Transport", package: "fieldnote")]
        ),
        // `fieldnote findings import`: JSON and CSV.
        .executableTarget(
            name: "fuzz-findings-import",
            dependencies: [.product(name: "Findings", package: "fieldnote")]
        ),
        // `fieldnote report` over evidence records holding any value a peer could send.
        .executableTarget(
            name: "fuzz-report",
            dependencies: [.product(name: "Findings", package: "fieldnote"), .product(name: "SyncCore", package: "fieldnote")]
        ),
    ]
)
