import CorpusCore

/// The merged result of one pass: global vocabulary and every table the plan asked for.
/// Derived scores (per-million, measures, trends) are computed from it after the merge.
public final class CorpusStats {
    public let plan: AnalysisPlan
    public let vocabulary = Vocabulary(capacity: 1 << 16)
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

    init(plan: AnalysisPlan) {
        self.plan = plan
        if let n = plan.ngramN, n > 2 { ngramChain = (0..<(n - 2)).map { _ in KeyInterner() } }
        if case .window(let w) = plan.cooc { coocMargins = WindowMargins(window: w) }
        if plan.collocateNode != nil { collocMargins = WindowMargins(window: plan.collocateWindow) }
        if plan.ngramN == 2 && plan.ngramSkip > 0 { skipMargins = SkipMargins(skip: plan.ngramSkip) }
    }

    /// rank[id] = the term's position in UTF-8 byte order (computed once, after the merge).
    public private(set) lazy var byteRanks: [UInt32] = {
        var ids = (0..<vocabulary.count).map { TermID($0) }
        let v = vocabulary
        ids.sort { v.less($0, $1) }
        var rank = [UInt32](repeating: 0, count: ids.count)
        for (r, id) in ids.enumerated() { rank[Int(id)] = UInt32(r) }
        return rank
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

    /// Adds a worker's window margins, remapped to global ids.
    private static func mergeMargins(_ into: inout WindowMargins?, _ from: WindowMargins?, _ remap: [TermID]) {
        guard into != nil, let from else { return }
        for id in 0..<from.margin.count { into!.margin[Int(remap[id])] &+= from.margin[id] }
        into!.total &+= from.total
    }

    /// Merges one worker's partial tables (additive, exact).
    func merge(_ w: WorkerState) {
        let lv = w.vocab
        var remap = [TermID](repeating: 0, count: lv.count)
        for id in 0..<lv.count {
            let b = lv.bytes(TermID(id))
            let g = b.count == 0 ? vocabulary.intern(Vocabulary.empty, 0) : vocabulary.intern(b.baseAddress!, b.count)
            remap[id] = g
            ensure(g)
        }
        for id in 0..<min(lv.count, w.counts.count) {
            let g = Int(remap[id])
            counts[g] += w.counts[id]
            docs[g] += w.docs[id]
            if plan.cooc != nil && id < w.sentenceFreq.count { sentenceFreq[g] += w.sentenceFreq[id] }
        }
        totalTokens += w.totalTokens
        documents += w.documents
        undated += w.undated
        textBytes += w.bytes
        if let d = w.firstDate, firstDate == nil || d < firstDate! { firstDate = d }
        if let d = w.lastDate, lastDate == nil || d > lastDate! { lastDate = d }
        sentenceCount += w.sentenceCount
        CorpusStats.mergeMargins(&coocMargins, w.coocMargins, remap)
        CorpusStats.mergeMargins(&collocMargins, w.collocMargins, remap)
        if skipMargins != nil, let from = w.skipMargins {
            for id in 0..<from.first.count {
                let g = Int(remap[id])
                skipMargins!.first[g] &+= from.first[id]
                skipMargins!.second[g] &+= from.second[id]
            }
            skipMargins!.total &+= from.total
        }

        if let n = plan.ngramN {
            w.ngrams.forEach { key, c, d in
                if n == 2 {
                    let a = remap[Int(key >> 32)], b = remap[Int(key & 0xFFFF_FFFF)]
                    ngrams.merge(UInt64(a) << 32 | UInt64(b), count: c, docs: d)
                } else {
                    let local = w.ngramTerms(key, n: n)
                    var gk = UInt64(remap[Int(local[0])]) << 32 | UInt64(remap[Int(local[1])])
                    for k in 2..<n {
                        let id = ngramChain[k - 2].intern(gk)
                        gk = UInt64(id) << 32 | UInt64(remap[Int(local[k])])
                    }
                    ngrams.merge(gk, count: c, docs: d)
                }
            }
        }
        if plan.cooc != nil {
            w.cooc.forEach { key, c, d in
                let a = remap[Int(key >> 32)], b = remap[Int(key & 0xFFFF_FFFF)]
                let k = a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
                cooc.merge(k, count: c, docs: d)
            }
        }
        if plan.collocateNode != nil {
            w.collocAll.forEach { key, c, d in collocAll.merge(UInt64(remap[Int(key)]), count: c, docs: d) }
            w.collocLeft.forEach { key, c, d in collocLeft.merge(UInt64(remap[Int(key)]), count: c, docs: d) }
            nodeCount += w.nodeCount
            nodeDocs += w.nodeDocs
            nodeNeighbours += w.nodeNeighbours
        }
        if plan.periods != nil {
            w.periods.table.forEach { key, c, d in
                let (p, t) = GroupedCounts.split(key)
                periods.table.merge(GroupedCounts.key(p, remap[Int(t)]), count: c, docs: d)
            }
            for (p, t) in w.periods.totals {
                var cur = periods.totals[p] ?? (0, 0)
                cur.tokens += t.tokens
                cur.docs += t.docs
                periods.totals[p] = cur
            }
            w.phraseCounts.forEach { key, c, d in phraseCounts.merge(key, count: c, docs: d) }
        }
        if !plan.dateRanges.isEmpty {
            w.groups.table.forEach { key, c, d in
                let (g, t) = GroupedCounts.split(key)
                groups.table.merge(GroupedCounts.key(g, remap[Int(t)]), count: c, docs: d)
            }
            for (g, t) in w.groups.totals {
                var cur = groups.totals[g] ?? (0, 0)
                cur.tokens += t.tokens
                cur.docs += t.docs
                groups.totals[g] = cur
            }
        }
        records.append(contentsOf: w.records)
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
