import CorpusCore

/// The corpus totals a partial table set carries (`totals` of a partial folder): every field is summed
/// when partials merge, except the dates (earliest first date, latest last date).
public struct PartialTotals: Sendable, Equatable {
    public var documents: UInt64 = 0
    public var tokens: UInt64 = 0
    /// Bytes of analyzed text (title + "\n\n" + body).
    public var textBytes: UInt64 = 0
    public var undated: UInt64 = 0
    /// All ordered (node, neighbour) position pairs of the co-occurrence window (N of the window measures).
    public var orderedPairs: UInt64 = 0
    /// Bytes of input read, records skipped, bad dates and invalid UTF-8 sequences (the reader's counts).
    public var inputBytes: UInt64 = 0
    public var skipped: UInt64 = 0
    public var badDates: UInt64 = 0
    public var invalidUTF8: UInt64 = 0
    /// Earliest and latest document date, seconds since 1970-01-01 UTC.
    public var firstDate: Int64? = nil
    public var lastDate: Int64? = nil

    public init() {}

    /// Exact, associative and commutative.
    public mutating func add(_ o: PartialTotals) {
        documents += o.documents
        tokens += o.tokens
        textBytes += o.textBytes
        undated += o.undated
        orderedPairs += o.orderedPairs
        inputBytes += o.inputBytes
        skipped += o.skipped
        badDates += o.badDates
        invalidUTF8 += o.invalidUTF8
        if let d = o.firstDate, firstDate == nil || d < firstDate! { firstDate = d }
        if let d = o.lastDate, lastDate == nil || d > lastDate! { lastDate = d }
    }
}

/// Building merged statistics from partial tables keyed by strings (`corpuskit merge`): each `add…` is
/// the same exact addition the in-process merge of workers does, so the finished tables of a merge equal
/// those of one pass over all the inputs.
extension CorpusStats {
    /// Empty statistics for `plan`, to be filled from partial tables.
    public static func empty(plan: AnalysisPlan) -> CorpusStats { CorpusStats(plan: plan) }

    /// The global id of a term's UTF-8 bytes.
    public func intern(_ bytes: UnsafeRawBufferPointer) -> TermID {
        let id: TermID
        if bytes.isEmpty {
            id = vocabulary.intern(Vocabulary.empty, 0)
        } else {
            id = vocabulary.intern(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        ensure(id)
        return id
    }

    public func intern(_ s: String) -> TermID {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    /// Per term: count, documents, and the window margin (ordered pairs whose node is the term).
    public func addTerm(_ id: TermID, count: UInt64, docs: UInt64, windowMargin: UInt64) {
        ensure(id)
        let i = Int(id)
        counts[i] += count
        docs_add(i, docs)
        if coocMargins != nil { coocMargins!.margin[i] &+= windowMargin }
    }

    private func docs_add(_ i: Int, _ d: UInt64) {
        docs[i] = UInt32(truncatingIfNeeded: UInt64(docs[i]) + d)
    }

    /// The window margin of a term (0 without a window table).
    public func windowMargin(_ id: TermID) -> UInt64 {
        guard let m = coocMargins, Int(id) < m.margin.count else { return 0 }
        return m.margin[Int(id)]
    }

    /// All ordered pairs of the window sample.
    public var orderedPairs: UInt64 { coocMargins?.total ?? 0 }

    /// An n-gram of the plan's length, as its terms' ids.
    public func addNgram(_ ids: [TermID], count: UInt64, docs: UInt64) {
        let n = plan.ngramN ?? 2
        precondition(ids.count == n, "addNgram: \(ids.count) terms for n = \(n)")
        var key = UInt64(ids[0]) << 32 | UInt64(ids[1])
        if n > 2 {
            for k in 2..<n {
                let id = ngramChain[k - 2].intern(key)
                key = UInt64(id) << 32 | UInt64(ids[k])
            }
        }
        ngrams.merge(key, count: count, docs: UInt32(truncatingIfNeeded: docs))
    }

    /// A co-occurrence pair (either order).
    public func addPair(_ a: TermID, _ b: TermID, count: UInt64, docs: UInt64) {
        let k = a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
        cooc.merge(k, count: count, docs: UInt32(truncatingIfNeeded: docs))
    }

    /// A term's count in a period (by ordinal).
    public func addPeriodTerm(period: Int64, term: TermID, count: UInt64, docs: UInt64) {
        periods.table.merge(GroupedCounts.key(period, term), count: count, docs: UInt32(truncatingIfNeeded: docs))
    }

    /// A period's tokens and documents.
    public func addPeriodTotal(period: Int64, tokens: UInt64, docs: UInt64) {
        var cur = periods.totals[period] ?? (0, 0)
        cur.tokens += tokens
        cur.docs += docs
        periods.totals[period] = cur
    }

    /// A document record, numbered after those already added.
    public func appendRecord(_ r: DocumentRecord) {
        var r = r
        r.ordinal = records.count
        records.append(r)
    }

    /// The corpus totals (reader counts stay outside: statistics hold what the pass counted).
    public func addTotals(_ t: PartialTotals) {
        documents += t.documents
        totalTokens += t.tokens
        textBytes += t.textBytes
        undated += t.undated
        if coocMargins != nil { coocMargins!.total &+= t.orderedPairs }
        if let d = t.firstDate, firstDate == nil || d < firstDate! { firstDate = d }
        if let d = t.lastDate, lastDate == nil || d > lastDate! { lastDate = d }
    }

    /// The totals of these statistics, with the reader's counts given.
    public func totals(inputBytes: UInt64, skipped: UInt64, badDates: UInt64, invalidUTF8: UInt64) -> PartialTotals {
        var t = PartialTotals()
        t.documents = documents
        t.tokens = totalTokens
        t.textBytes = textBytes
        t.undated = undated
        t.orderedPairs = orderedPairs
        t.inputBytes = inputBytes
        t.skipped = skipped
        t.badDates = badDates
        t.invalidUTF8 = invalidUTF8
        t.firstDate = firstDate
        t.lastDate = lastDate
        return t
    }

    /// Every (period, term) with its count, in a fixed order: period, then count descending, then the
    /// term's bytes.
    public func periodTermRows() -> [(period: Int64, term: TermID, count: UInt64, docs: UInt32)] {
        var rows: [(period: Int64, term: TermID, count: UInt64, docs: UInt32)] = []
        forEachPeriodTerm { p, t, c, d in rows.append((p, t, c, d)) }
        let rank = byteRanks
        rows.sort { a, b in
            if a.period != b.period { return a.period < b.period }
            if a.count != b.count { return a.count > b.count }
            return rank[Int(a.term)] < rank[Int(b.term)]
        }
        return rows
    }

    /// Adds another run's statistics through the same string-keyed additions a partial folder's merge
    /// makes (terms by bytes, never by the other run's ids). The plans must agree.
    public func absorb(_ o: CorpusStats) {
        func g(_ id: TermID) -> TermID { intern(UnsafeRawBufferPointer(o.vocabulary.bytes(id))) }
        for i in 0..<o.counts.count where o.counts[i] > 0 {
            let id = TermID(i)
            addTerm(g(id), count: o.counts[i], docs: UInt64(o.docs[i]), windowMargin: o.windowMargin(id))
        }
        if plan.ngramN != nil {
            o.ngrams.forEach { key, c, d in addNgram(o.ngramTerms(key).map(g), count: c, docs: UInt64(d)) }
        }
        if plan.cooc != nil {
            o.cooc.forEach { key, c, d in
                addPair(g(TermID(key >> 32)), g(TermID(key & 0xFFFF_FFFF)), count: c, docs: UInt64(d))
            }
        }
        o.forEachPeriodTerm { p, t, c, d in addPeriodTerm(period: p, term: g(t), count: c, docs: UInt64(d)) }
        for (p, v) in o.periodTotals { addPeriodTotal(period: p, tokens: v.tokens, docs: v.docs) }
        for r in o.records { appendRecord(r) }
        addTotals(o.totals(inputBytes: 0, skipped: 0, badDates: 0, invalidUTF8: 0))
    }
}
