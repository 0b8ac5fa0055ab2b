// Writing the terms table of the benchmark corpus (term, count, docs, per_million; sorted as
// `corpuskit terms` sorts it) as Parquet through the real sink, uncompressed and with zstd pages.
// Throughput is per byte of the written file; items are rows.
import Benchmark
import BenchHarness
import BenchSupport
import CorpusEngine
import CorpusExport

let benchmarks: @Sendable () -> Void = {
    let corpus = BenchCorpus.reuters
    guard let stats = try? EngineStage.run(corpus, plan: EngineStage.plan("terms"), jobs: 1) else {
        fatalError("the terms run that makes the table failed")
    }
    let stage = ParquetStage(stats: stats)
    for compression in [Compression.none, .zstd] {
        // The file size is known after one write (outside the timed region).
        guard let size = try? stage.run(compression: compression) else { fatalError("cannot write \(stage.path)") }
        Harness.register("terms-table-\(compression.rawValue)", bytes: size) {
            _ = try stage.run(compression: compression)
            return stage.rowCount
        }
    }
}
