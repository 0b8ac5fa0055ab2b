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
        tokenizer = try Tokenizer(options: plan.tokenizer, sentences: plan.needsSentences)
        context = try WorkerContext(plan: plan, vocab: tokenizer.vocabulary)
        analyzers = Analyzers.make(for: plan, context)
        if !analyzers.contains(where: { $0.needsTokenIDs }), let unigrams = analyzers.first as? UnigramCounter {
            // Tally mode: tokens are counted as they are found; no per-token array (memory: the text alone).
            context.tokens.tally = unigrams.tally
            tally = unigrams.tally
        } else {
            tally = nil
        }
        syncVocabulary()
    }

    /// The unigram tally the tokenizer counts into (tally mode), else nil.
    private let tally: TermTally?

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
        tally?.stamp = c.stamp
        tokenizer.tokenize(doc, sentences: plan.needsSentences, into: &c.tokens)
        syncVocabulary()
        if let field = plan.groupBy { c.setGroups(doc, field: field) }
        for a in analyzers { a.process(doc, c) }
    }
}
