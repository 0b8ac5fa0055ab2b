import CorpusCore

/// One worker: its tokenizer (ICU iterators, vocabulary) and the analyzers the plan asks for, each with
/// its own partial tables (Analyzers/). Everything is additive and merged after the pass.
final class WorkerState {
    let plan: AnalysisPlan
    let tokenizer: Tokenizer
    var vocab: Vocabulary { tokenizer.vocabulary }
    let context: WorkerContext
    let analyzers: [WorkerAnalyzer]
    private var size = 0

    init(plan: AnalysisPlan) throws {
        self.plan = plan
        tokenizer = try Tokenizer(options: plan.tokenizer)
        context = WorkerContext(plan: plan, vocab: tokenizer.vocabulary)
        analyzers = Analyzers.make(for: plan, context)
        syncVocabulary()
    }

    /// Grows the per-term state of every analyzer to the vocabulary's size.
    @inline(__always)
    func syncVocabulary() {
        let n = vocab.count
        guard n > size else { return }
        size = n
        context.grow(to: n)
        for a in analyzers { a.grow(to: n) }
    }

    func process(_ doc: Document) {
        if let skip = plan.skipOrdinals, skip.contains(doc.ordinal) { return }
        let c = context
        c.stamp &+= 1
        tokenizer.tokenize(doc, sentences: plan.needsSentences, into: &c.tokens)
        syncVocabulary()
        for a in analyzers { a.process(doc, c) }
    }
}
