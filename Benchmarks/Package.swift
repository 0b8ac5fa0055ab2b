// swift-tools-version: 6.1
// CorpusKit throughput benchmarks (ordo-one/benchmark): one suite per pipeline stage, on real news text
// (Reuters-21578 bodies from ../shared/corpora, loaded outside the timed region).
//
// Run: scripts/bench (or `swift package --package-path Benchmarks benchmark`).
// Thresholds: Benchmarks/Thresholds/<Suite>.<Benchmark>.p90.json — only stable metrics (malloc counts,
// and instructions where `perf` supports them); wall-clock throughput is reported, never gated.
import PackageDescription
import Foundation

// A path dependency's identity is its folder's name, which differs between clones (main, a CI folder...).
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

// One executable target per stage; each lives in Benchmarks/<Name>/ as the benchmark plugin requires.
let suites = ["Segmentation", "Normalization", "Terms", "Ngrams", "Cooc", "ParquetWriting"]

let package = Package(
    name: "CorpusKitBenchmarks",
    dependencies: [
        .package(path: ".."),
        // MallocInterposer only: the RuntimeInterposer default trait needs a package this mirror lacks.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Corpus loading and the stage kernels, shared by every suite. Never imports Foundation
        // (its bundled ICU headers clash with the system ICU that CorpusICU uses).
        .target(
            name: "BenchSupport",
            dependencies: [.product(name: "CorpusKit", package: rootIdentity)]),
        // Registration of a benchmark with CorpusKit's metrics and thresholds; knows nothing of CorpusKit.
        .target(
            name: "BenchHarness",
            dependencies: [.product(name: "Benchmark", package: "benchmark")]),
    ] + suites.map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "BenchSupport",
                "BenchHarness",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/\(name)",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
    },
    swiftLanguageModes: [.v6]
)
