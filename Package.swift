// swift-tools-version: 6.1
// CorpusKit — ICU-exact text statistics for news corpora.
// Module split follows the data flow: CICU (C shims) → CorpusICU (the only module that calls ICU)
// → CorpusCore (documents, diagnostics) → CorpusReaders (formats) → CorpusEngine (parallel counting,
// analyzers) → CorpusExport (sinks) → corpuskit (CLI).
import PackageDescription

let package = Package(
    name: "CorpusKit",
    products: [
        .executable(name: "corpuskit", targets: ["corpuskit"]),
        .library(name: "CorpusKit", targets: ["CorpusICU", "CorpusCore", "CorpusReaders", "CorpusEngine", "CorpusExport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System ICU (libicu-dev). Headers and `static inline cicu_*` shims only: ICU's versioned symbol
        // macros (ubrk_open → ubrk_open_72) cannot be imported by Swift directly.
        .systemLibrary(name: "CICU", pkgConfig: "icu-i18n", providers: [.apt(["libicu-dev"])]),
        // System zlib (gzip input, gzip-compressed Parquet pages).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // System libzstd (zstd-compressed Parquet pages).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // A header-only C module: the cache prefetch hint the counting tables use.
        .systemLibrary(name: "CPrefetch"),
        // Owns every ICU call; imports only FoundationEssentials (Foundation's own ICU headers clash).
        .target(name: "CorpusICU", dependencies: ["CICU"]),
        // The ICU-exact fast path: a Latin-text scanner that hands every region it cannot decide to ICU.
        .target(name: "CorpusFastScan", dependencies: ["CorpusICU", "CorpusCore"]),
        // Documents, diagnostics, UTF-8 repair: shared vocabulary of the pipeline.
        .target(name: "CorpusCore"),
        // Input formats: article text, JSONL, CSV/TSV, Reuters SGML, e-mail (charsets through the C library's
        // iconv: not ICU, whose headers clash with Foundation's ICU in the Foundation-importing test target),
        // plain text; gzip; dates.
        .target(name: "CorpusReaders", dependencies: ["CorpusCore", "CZlib"]),
        // Tokenizer pipeline, vocabularies, parallel runner and the mergeable analyzers.
        .target(
            name: "CorpusEngine", dependencies: ["CorpusCore", "CorpusICU", "CorpusFastScan", "CPrefetch"],
            // The hot loops touch worker-owned class state only; dynamic exclusivity checks cost ~2% there.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        // Output sinks: terminal table, TSV, CSV, JSONL, Parquet; manifest.
        .target(name: "CorpusExport", dependencies: ["CorpusCore", "CZlib", "CZstd"]),
        // Test-only helpers: repository root, the shared corpora folder, temp dirs.
        .target(name: "CorpusTestSupport", dependencies: ["CorpusCore"], path: "Tests/TestSupport"),
        .executableTarget(
            name: "corpuskit",
            dependencies: [
                "CorpusICU", "CorpusCore", "CorpusReaders", "CorpusEngine", "CorpusExport", "CZlib",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "CorpusICUTests", dependencies: ["CorpusICU", "CorpusCore", "CorpusTestSupport"]),
        .testTarget(name: "CorpusCoreTests", dependencies: ["CorpusCore", "CorpusTestSupport"]),
        .testTarget(name: "CorpusReadersTests", dependencies: ["CorpusReaders", "CorpusCore", "CorpusTestSupport"]),
        .testTarget(name: "CorpusEngineTests", dependencies: ["CorpusEngine", "CorpusCore", "CorpusICU", "CorpusTestSupport"]),
        .testTarget(name: "CorpusFastScanTests", dependencies: ["CorpusFastScan", "CorpusICU", "CorpusTestSupport"]),
        .testTarget(name: "CorpusExportTests", dependencies: ["CorpusExport", "CorpusCore", "CorpusTestSupport"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
