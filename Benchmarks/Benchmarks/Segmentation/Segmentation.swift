// Word segmentation alone, over Reuters titles and bodies: ICU's break iterator, and the segmenter the
// engine picks by default (`auto`: the ICU-exact fast path where proven identical, else ICU).
import Benchmark
import BenchHarness
import BenchSupport
import CorpusEngine

let benchmarks: @Sendable () -> Void = {
    let corpus = BenchCorpus.reuters
    for choice in [SegmenterChoice.icu, .auto] {
        guard let stage = try? SegmentStage(choice) else { fatalError("cannot open the \(choice) segmenter") }
        Harness.register("words-\(choice.rawValue)", bytes: corpus.bytes) { stage.run(corpus) }
    }
}
