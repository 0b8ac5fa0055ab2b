import CorpusCore

/// What the analyzers of one worker share about the document being processed.
final class WorkerContext {
    let plan: AnalysisPlan
    let vocab: Vocabulary
    /// The current document's tokens: term ids local to this worker's vocabulary, and sentence ranges.
    var tokens = TokenizedText()
    /// Unique per document within this worker (the per-term `docs` counters compare it).
    var stamp: UInt32 = 0
    /// Left-out flags (stopwords and token filters, `plan.filter`) by local term id, filled as terms appear.
    var isStop: [Bool] = []
    let hasStopwords: Bool
    /// Decides `isStop` once per term (this worker's own ICU matchers).
    private let filter: TermFilter.Evaluator?
    /// `--group-by`: the current document's groups (local indices into `groupNames`, distinct, by name).
    var docGroups: [Int32] = []
    /// Group names seen by this worker, by local index.
    var groupNames: [String] = []
    private var groupIndex: [String: Int32] = [:]
    /// (local group, period) combos seen by this worker, by local combo index (`groupCombo`).
    var combos: [(group: Int32, period: Int64)] = []
    private var comboIndex: [UInt64: Int64] = [:]

    init(plan: AnalysisPlan, vocab: Vocabulary) throws {
        self.plan = plan
        self.vocab = vocab
        hasStopwords = !plan.filter.isEmpty
        filter = hasStopwords ? try plan.filter.makeEvaluator() : nil
    }

    /// Sets `docGroups` for a document of a grouped run: its distinct values of the plan's field, or the
    /// group with the empty name when it has none.
    func setGroups(_ doc: Document, field: String) {
        docGroups.removeAll(keepingCapacity: true)
        let values = doc.fields[field] ?? []
        if values.isEmpty { docGroups.append(group(named: "")); return }
        for v in values {
            let g = group(named: v)
            if !docGroups.contains(g) { docGroups.append(g) }
        }
    }

    private func group(named name: String) -> Int32 {
        if let g = groupIndex[name] { return g }
        groupNames.append(name)
        let g = Int32(groupNames.count - 1)
        groupIndex[name] = g
        return g
    }

    /// The local index of (group, period): period tables of a grouped run are keyed by it.
    func groupCombo(_ group: Int32, _ period: Int64) -> Int64 {
        let key = GroupedCounts.comboKey(Int64(group), period)
        if let k = comboIndex[key] { return k }
        combos.append((group, period))
        let k = Int64(combos.count - 1)
        comboIndex[key] = k
        return k
    }

    /// Local combo index → global combo index in `stats` (after the merge of group names).
    func comboRemap(into stats: CorpusStats) -> [Int64] {
        combos.map { Int64(stats.fieldGroups.combo(group: stats.fieldGroups.index(of: groupNames[Int($0.group)]), period: $0.period)) }
    }

    func grow(to n: Int) {
        guard let filter else { return }
        for id in isStop.count..<n { isStop.append(filter.excludes(vocab.bytes(TermID(id)))) }
    }
}

/// One analyzer of one worker: its per-worker state, what a document adds to it, and its exact additive
/// merge into the run's statistics. Each analyzer lives in a file of its own in this folder.
protocol WorkerAnalyzer: AnyObject {
    /// Whether `process` reads the token ids (`c.tokens.terms`); when no analyzer of a plan does, the
    /// tokenizer counts into the unigram tally instead of building the array.
    var needsTokenIDs: Bool { get }
    /// The worker's vocabulary grew to `n` terms: per-term arrays grow with it (before `process`).
    func grow(to n: Int)
    /// Adds one document (its tokens are in `c.tokens`).
    func process(_ doc: Document, _ c: WorkerContext)
    /// Adds this worker's counts into `stats`, term ids mapped from the worker's vocabulary to the global
    /// one by `remap` (every remapped id already has its per-term slots in `stats`). Exact and additive:
    /// the order in which workers merge never changes a result.
    func merge(into stats: CorpusStats, remap: [TermID])
}

extension WorkerAnalyzer {
    var needsTokenIDs: Bool { true }
}

/// The analyzers a plan asks for, in a fixed order. Adding an analyzer means: a file here with its
/// `WorkerAnalyzer` (state, process, merge), its merged table in `CorpusStats` (Merge.swift), a field of
/// `AnalysisPlan` that asks for it, one line below, its partial table (corpuskit's AnalysisTables.swift)
/// when `analyze` computes it, and its command.
enum Analyzers {
    static func make(for plan: AnalysisPlan, _ c: WorkerContext) -> [WorkerAnalyzer] {
        var list: [WorkerAnalyzer] = [UnigramCounter()]
        if let n = plan.ngramN { list.append(NgramCounter(n: n, skip: plan.ngramSkip)) }
        if let scope = plan.cooc { list.append(CoocCounter(scope: scope)) }
        if let node = plan.collocateNode { list.append(CollocateCounter(node: node, window: plan.collocateWindow, vocab: c.vocab)) }
        if plan.groupBy != nil { list.append(FieldGroupCounter(c)) }
        if let g = plan.periods { list.append(PeriodCounter(granularity: g, phrases: plan.periodPhrases, c)) }
        if !plan.dateRanges.isEmpty { list.append(DateRangeCounter(ranges: plan.dateRanges)) }
        if plan.perDocument { list.append(DocumentRecorder()) }
        if plan.documentTerms { list.append(DocumentTermCounter()) }
        if let terms = plan.positionsOf { list.append(TermPositionRecorder(terms: terms, vocab: c.vocab)) }
        if let q = plan.concordance { list.append(ConcordanceCollector(query: q, c)) }
        if let r = plan.dedupSignatures { list.append(SignatureRecorder(request: r, plan: plan, vocab: c.vocab)) }
        return list
    }
}
