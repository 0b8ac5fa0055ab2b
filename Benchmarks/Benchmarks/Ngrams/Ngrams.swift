// The whole engine (Engine.run) computing bigram counts over Reuters titles and bodies held in
// memory: segmentation, normalization, interning, counting and the final merge. One job is gated on
// malloc counts; two jobs shows the scaling (its thread hand-offs make allocations vary, so no gate).
import Benchmark
import BenchHarness
import BenchSupport
import CorpusEngine

let benchmarks: @Sendable () -> Void = {
    let corpus = BenchCorpus.reuters
    let plan = EngineStage.plan("ngrams")
    for jobs in [1, 2] {
        Harness.register("ngrams-jobs\(jobs)", bytes: corpus.bytes, gated: jobs == 1) {
            Int(try EngineStage.run(corpus, plan: plan, jobs: jobs).totalTokens)
        }
    }
}
