// Segmentation + normalization (no interning): NFKC_Casefold (the default, with its ASCII fast path)
// and plain NFC, over Reuters titles and bodies.
import Benchmark
import BenchHarness
import BenchSupport
import CorpusEngine
import CorpusICU

let benchmarks: @Sendable () -> Void = {
    let corpus = BenchCorpus.reuters
    for mode in [NormalizationMode.nfkcCasefold, .nfc] {
        guard let stage = try? NormalizeStage(.auto, mode: mode) else { fatalError("cannot open the \(mode) normalizer") }
        Harness.register("segment-\(mode.rawValue)", bytes: corpus.bytes) { stage.run(corpus) }
    }
}
