import CorpusCore

/// The merged result of one pass: global vocabulary and every table the plan asked for.
/// Derived scores (per-million, measures, trends) are computed from it after the merge.
public final class CorpusStats {
    public let plan: AnalysisPlan
    public let vocabulary: Vocabulary
    public internal(set) var counts: [UInt64] = []
    public internal(set) var docs: [UInt32] = []
    public internal(set) var totalTokens: UInt64 = 0
    public internal(set) var documents: UInt64 = 0
    public internal(set) var undated: UInt64 = 0
    /// Bytes of analyzed text (title + "\n\n" + body).
    public internal(set) var textBytes: UInt64 = 0
    public internal(set) var firstDate: Int64? = nil
    public internal(set) var lastDate: Int64? = nil

    /// N-grams: key = (a << 32 | b) for n = 2, else (chain id << 32 | last term) in `ngramChain`.
    public internal(set) var ngrams = CountTable()
    var ngramChain: [KeyInterner] = []
    /// Co-occurrence: key = (lo << 32 | hi) of global ids (by id, not by bytes).
    public internal(set) var cooc = CountTable()
    /// Per term: sentences (or documents, for document scope) containing it.
    public internal(set) var sentenceFreq: [UInt64] = []
    public internal(set) var sentenceCount: UInt64 = 0
    /// Collocates: all = left + right (with docs); left alone.
    public internal(set) var collocAll = CountTable()
    public internal(set) var collocLeft = CountTable()
    public internal(set) var nodeCount: UInt64 = 0
    public internal(set) var nodeDocs: UInt64 = 0
    /// Window measures' margins: cooc --window and collocates (the ordered-pair sample).
    var coocMargins: WindowMargins? = nil
    var collocMargins: WindowMargins? = nil
    var skipMargins: SkipMargins? = nil
    public internal(set) var nodeNeighbours: UInt64 = 0
    /// Periods: key = (period ordinal << 32 | term id); totals per period.
    var periods = GroupedCounts()
    /// Multi-word phrases per period: key = (period << 32 | phrase index).
    public internal(set) var phraseCounts = CountTable()
    /// Unigrams per date range: key = (range index << 32 | term id).
    var groups = GroupedCounts()
    public internal(set) var records: [DocumentRecord] = []
    /// Sparse term counts per document, one chunk per worker (`dtm`).
    public internal(set) var documentTerms: [DocumentTermChunk] = []
    /// Positions of the plan's `positionsOf` terms per document, one chunk per worker (`dispersion`).
    public internal(set) var termPositions: [TermPositionChunk] = []
    /// Duplicate signatures per document, one chunk per worker (`--dedup`, `dups`).
    public internal(set) var signatures: [SignatureChunk] = []

    /// `--group-by`: the groups, their term counts, and the (group, period) combos keying `periods`.
    var fieldGroups = FieldGroupTables()

    init(plan: AnalysisPlan, vocabulary: Vocabulary = Vocabulary(capacity: 1 << 16)) {
        self.plan = plan
        self.vocabulary = vocabulary
        if let n = plan.ngramN, n > 2 { ngramChain = (0..<(n - 2)).map { _ in KeyInterner() } }
        if case .window(let w) = plan.cooc { coocMargins = WindowMargins(window: w) }
        if plan.collocateNode != nil { collocMargins = WindowMargins(window: plan.collocateWindow) }
        if plan.ngramN == 2 && plan.ngramSkip > 0 { skipMargins = SkipMargins(skip: plan.ngramSkip) }
    }

    /// rank[id] = the term's position in UTF-8 byte order (computed once, after the merge).
    public internal(set) lazy var byteRanks: [UInt32] = {
        var ids = (0..<vocabulary.count).map { TermID($0) }
        let v = vocabulary
        ids.sort { v.less($0, $1) }
        var rank = [UInt32](repeating: 0, count: ids.count)
        for (r, id) in ids.enumerated() { rank[Int(id)] = UInt32(r) }
        return rank
    }()

    /// A grouped run's tables by group (`groupView`), built once.
    lazy var groupBuckets: GroupBuckets = {
        var b = GroupBuckets()
        let n = fieldGroups.names.count
        b.terms = Array(repeating: [], count: n)
        b.combos = Array(repeating: [], count: n)
        b.periodTerms = Array(repeating: [], count: n)
        fieldGroups.counts.table.forEach { key, c, d in
            let (g, t) = GroupedCounts.split(key)
            b.terms[Int(g)].append((t, c, d))
        }
        for (k, combo) in fieldGroups.combos.enumerated() { b.combos[combo.group].append(k) }
        if plan.groupBy != nil {
            periods.table.forEach { key, c, d in
                let (k, t) = GroupedCounts.split(key)
                b.periodTerms[fieldGroups.combos[Int(k)].group].append((Int(k), t, c, d))
            }
        }
        return b
    }()

    public var typeCount: Int { counts.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// Period totals: ordinal → (tokens, documents).
    public var periodTotals: [Int64: (tokens: UInt64, docs: UInt64)] { periods.totals }
    public var groupTotals: [Int64: (tokens: UInt64, docs: UInt64)] { groups.totals }

    @inline(__always)
    func ensure(_ id: TermID) {
        let n = Int(id) + 1
        if counts.count < n {
            let extra = n - counts.count
            counts.append(contentsOf: repeatElement(0, count: extra))
            docs.append(contentsOf: repeatElement(0, count: extra))
            if plan.cooc != nil { sentenceFreq.append(contentsOf: repeatElement(0, count: extra)) }
            coocMargins?.grow(to: n)
            collocMargins?.grow(to: n)
            skipMargins?.grow(to: n)
        }
    }

    /// Merges one worker's partial tables (additive, exact): its terms are mapped to global ids by their
    /// bytes, then each analyzer adds its own tables. A worker whose vocabulary is the global one (the
    /// first, adopted by `Engine.run`) maps every id to itself without interning anything.
    func merge(_ w: WorkerState) {
        let lv = w.vocab
        let n = lv.count
        // (Not `Array(unsafeUninitializedCapacity:)`: at 0 it stores the count into the shared empty-array
        // singleton, a write ThreadSanitizer sees race with another run's empty worker.)
        var remap = [TermID](repeating: 0, count: n)
        remap.withUnsafeMutableBufferPointer { buf in
            if lv === vocabulary {
                for id in 0..<n { buf[id] = TermID(truncatingIfNeeded: id) }
            } else {
                for id in 0..<n {
                    let b = lv.bytes(TermID(truncatingIfNeeded: id))
                    buf[id] = b.count == 0 ? vocabulary.intern(Vocabulary.empty, 0) : vocabulary.intern(b.baseAddress!, b.count)
                }
            }
        }
        // Every global id comes from some worker's terms: the per-term arrays grow once, to the vocabulary.
        if vocabulary.count > 0 { ensure(TermID(truncatingIfNeeded: vocabulary.count - 1)) }
        for a in w.analyzers { a.merge(into: self, remap: remap) }
    }

    func finish() {
        records.sort { $0.ordinal < $1.ordinal }
    }

    // MARK: lookups

    public func termID(_ s: String) -> TermID? { vocabulary.lookup(s) }
    public func count(of id: TermID) -> UInt64 { Int(id) < counts.count ? counts[Int(id)] : 0 }

    /// The terms of an n-gram key.
    public func ngramTerms(_ key: UInt64) -> [TermID] { unchainNgram(key, n: plan.ngramN ?? 2, chain: ngramChain) }

    /// Per-period count of a term.
    public func periodCount(period: Int64, term: TermID) -> (count: UInt64, docs: UInt32) {
        periods.table.get(GroupedCounts.key(period, term)) ?? (0, 0)
    }

    /// Calls body(period, term, count, docs) for every nonzero (period, term).
    public func forEachPeriodTerm(_ body: (Int64, TermID, UInt64, UInt32) -> Void) {
        periods.table.forEach { key, c, d in
            let (p, t) = GroupedCounts.split(key)
            body(p, t, c, d)
        }
    }

    public func groupCount(group: Int, term: TermID) -> UInt64 {
        groups.table.get(GroupedCounts.key(Int64(group), term))?.count ?? 0
    }

    public func forEachGroupTerm(_ body: (Int, TermID, UInt64, UInt32) -> Void) {
        groups.table.forEach { key, c, d in
            let (g, t) = GroupedCounts.split(key)
            body(Int(g), t, c, d)
        }
    }
}

/// True when `remap` maps every local id to itself (the first worker merged: the global vocabulary was
/// empty and took its terms in id order), so the worker's tables can be adopted as they are.
func isIdentity(_ remap: [TermID]) -> Bool {
    for i in remap.indices where remap[i] != TermID(truncatingIfNeeded: i) { return false }
    return true
}
