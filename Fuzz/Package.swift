// swift-tools-version: 6.1
// CorpusKit fuzz targets (issue 19): one libFuzzer executable per input surface, each exporting
// `LLVMFuzzerTestOneInput`. Build and run them with scripts/fuzz (it passes
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` to every module, so the library code
// under test is coverage-instrumented and checked by AddressSanitizer, and libFuzzer supplies `main`).
// Seed corpora: Fuzz/Seeds/<target>/; reproducers of crashes found: Fuzz/Crashes/<target>/.
import PackageDescription
import Foundation

// A path dependency's identity is its folder's name, which differs between clones (main, a CI folder...).
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

/// Fuzz target name (as given to scripts/fuzz) → executable target.
let targets = [
    "jsonl": "FuzzJSONL", "csv": "FuzzCSV", "reuters": "FuzzReuters", "article": "FuzzArticle",
    "dates": "FuzzDates", "gzip": "FuzzGzip", "fastpath": "FuzzFastPath", "parquet": "FuzzParquet",
    "email": "FuzzEmail", "sentences": "FuzzSentences",
]

let package = Package(
    name: "CorpusKitFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        // libFuzzer's driver entry point (a header; the library comes with -sanitize=fuzzer).
        .target(name: "CLibFuzzer"),
        // libFuzzer driver glue, temp-file input, quiet diagnostics and the invariants every reader target checks.
        .target(
            name: "FuzzSupport",
            dependencies: ["CLibFuzzer", .product(name: "CorpusKit", package: rootIdentity)]),
    ] + targets.values.sorted().map { name in
        .executableTarget(
            name: name,
            dependencies: ["FuzzSupport", .product(name: "CorpusKit", package: rootIdentity)])
    },
    swiftLanguageModes: [.v6]
)
