import CorpusCore

/// Post-merge tables that compare or lay out counts: trend rows (dense series and the sparse table),
/// and the two-corpus comparisons of `keyness` and `rising`. The CLI only prints them.

/// One row of a trends table.
public struct TrendRow: Sendable {
    public var period: Int64
    public var label: String
    public var count: UInt64
    public var docs: UInt32
    /// Null in a period without documents (a gap, not a zero).
    public var perMillion: Double?
    public var smoothed: Double?
}

/// Term counts of a target and a reference, and their token totals.
public struct Comparison {
    public var target: [TermID: UInt64] = [:]
    public var reference: [TermID: UInt64] = [:]
    public var targetTokens: UInt64 = 0
    public var referenceTokens: UInt64 = 0
    public init() {}
}

/// One row of a keyness or rising table.
public struct ComparisonRow: Sendable {
    public var term: TermID
    public var a: UInt64
    public var b: UInt64
    public var g2: Double
    public var logRatio: Double
}

extension CorpusStats {
    /// Per million tokens of period `p`; nil when the period has no documents.
    public func periodPerMillion(_ c: UInt64, _ p: Int64) -> Double? {
        periodDocs(p) == 0 ? nil : perMillion(c, of: periodTokens(p))
    }

    /// Dense series: every period from the first to the last dated document, for each series term, with
    /// an optional centred moving average of per_million over `smooth` periods.
    public func denseTrendRows(series: [SeriesTerm], smooth: Int?) -> [TrendRow] {
        guard let range = periodRange else { return [] }
        let periods = Array(range)
        var rows: [TrendRow] = []
        for t in series {
            let values = periods.map { seriesCount(t, period: $0) }
            let pms = zip(periods, values).map { periodPerMillion($0.1.count, $0.0) }
            let sm = smooth.map { centredMovingAverage(pms, k: $0) }
            for (i, p) in periods.enumerated() {
                rows.append(TrendRow(period: p, label: t.label, count: values[i].count, docs: values[i].docs, perMillion: pms[i], smoothed: sm?[i]))
            }
        }
        return Self.sortTrendRows(rows)
    }

    /// The sparse table: every nonzero (period, term) with count ≥ minCount, filtered terms left out; smoothing
    /// (when asked) runs over the term's dense series.
    public func sparseTrendRows(minCount: UInt64, stopwords stop: TermFilter, smooth: Int?) -> [TrendRow] {
        guard let range = periodRange else { return [] }
        var byTerm: [TermID: [(Int64, UInt64, UInt32)]] = [:]
        forEachPeriodTerm { p, t, c, d in
            if !stop.isEmpty && stop.contains(Array(vocabulary.bytes(t))) { return }
            byTerm[t, default: []].append((p, c, d))
        }
        var rows: [TrendRow] = []
        for (t, entries) in byTerm {
            var sm: [Int64: Double] = [:]
            if let k = smooth {
                var pms = range.map { periodPerMillion(0, $0) }
                for (p, c, _) in entries { pms[Int(p - range.lowerBound)] = periodPerMillion(c, p) }
                let s = centredMovingAverage(pms, k: k)
                for (p, _, _) in entries { sm[p] = s[Int(p - range.lowerBound)]! }
            }
            let label = vocabulary.string(t)
            for (p, c, d) in entries where c >= minCount {
                rows.append(TrendRow(period: p, label: label, count: c, docs: d, perMillion: periodPerMillion(c, p), smoothed: sm[p]))
            }
        }
        return Self.sortTrendRows(rows)
    }

    /// SPEC.md order: period, then count descending, then the label's UTF-8 bytes.
    static func sortTrendRows(_ rows: [TrendRow]) -> [TrendRow] {
        rows.sorted { a, b in
            if a.period != b.period { return a.period < b.period }
            if a.count != b.count { return a.count > b.count }
            return Array(a.label.utf8).lexicographicallyPrecedes(Array(b.label.utf8))
        }
    }

    /// `rising`: the target period's counts against the `baseline` periods (ordinals).
    public func periodComparison(target: Int64, baseline: [Int64]) -> Comparison {
        var c = Comparison()
        let baseSet = Set(baseline)
        forEachPeriodTerm { p, t, n, _ in
            if p == target { c.target[t, default: 0] += n } else if baseSet.contains(p) { c.reference[t, default: 0] += n }
        }
        c.targetTokens = periodTokens(target)
        c.referenceTokens = baseline.reduce(UInt64(0)) { $0 + periodTokens($1) }
        return c
    }

    /// `keyness --target-dates --reference-dates`: the plan's first date range against its second.
    public func dateRangeComparison() -> Comparison {
        var c = Comparison()
        forEachGroupTerm { g, t, n, _ in
            if g == 0 { c.target[t, default: 0] += n } else { c.reference[t, default: 0] += n }
        }
        c.targetTokens = groupTotals[0]?.tokens ?? 0
        c.referenceTokens = groupTotals[1]?.tokens ?? 0
        return c
    }

    /// `keyness --target --reference`: these statistics against another run's, whose terms are re-keyed
    /// into this vocabulary by their bytes.
    public func comparison(against ref: CorpusStats) -> Comparison {
        var c = Comparison()
        for i in 0..<counts.count where counts[i] > 0 { c.target[TermID(i)] = counts[i] }
        for i in 0..<ref.counts.count where ref.counts[i] > 0 {
            let id = vocabulary.intern(Array(ref.vocabulary.bytes(TermID(i))))
            c.reference[id, default: 0] += ref.counts[i]
        }
        c.targetTokens = totalTokens
        c.referenceTokens = ref.totalTokens
        return c
    }

    /// Rows with count + reference count ≥ minCount, filtered terms (stopwords too) left out, by G² descending then the term's
    /// bytes; the first `top` (all when top ≤ 0).
    /// `keep` (when given) must accept a term for it to be listed (`--min-docs`, `--max-dp`).
    public func comparisonRows(_ c: Comparison, minCount: UInt64, stopwords: TermFilter, top: Int,
                               keep: ((TermID) -> Bool)? = nil) -> [ComparisonRow] {
        var keys = Set(c.target.keys)
        keys.formUnion(c.reference.keys)
        let nt = Double(c.targetTokens), nb = Double(c.referenceTokens)
        var rows: [ComparisonRow] = []
        for t in keys {
            let a = c.target[t] ?? 0, b = c.reference[t] ?? 0
            if a + b < minCount { continue }
            if !stopwords.isEmpty && stopwords.contains(Array(vocabulary.bytes(t))) { continue }
            if let keep, !keep(t) { continue }
            rows.append(ComparisonRow(term: t, a: a, b: b,
                                      g2: TwoCorpus.g2(a: Double(a), b: Double(b), nt: nt, nb: nb),
                                      logRatio: TwoCorpus.logRatio(a: Double(a), b: Double(b), nt: nt, nb: nb)))
        }
        rows.sort { x, y in x.g2 != y.g2 ? x.g2 > y.g2 : vocabulary.less(x.term, y.term) }
        if top > 0 && rows.count > top { rows.removeSubrange(top...) }
        return rows
    }

    /// Gries's DP of each term of `counts` over the documents `include` accepts (by date; the run's plan kept
    /// `documentTerms`): parts = those documents with tokens, weighted by their size. A term with no
    /// occurrence in them is left out. DP = ½ Σ |v_i − s_i|, summed over the documents holding the term
    /// (the others add their s_i, which the identity Σ s_i = 1 accounts for).
    public func documentDP(counts: [TermID: UInt64], include: (Int64?) -> Bool) -> [TermID: Double] {
        let docs = Self.inputOrder(documentTerms.map(\.ordinals)) { c, k in
            let d = documentTerms[c].dates[k]
            return documentTerms[c].sizes[k] > 0 && include(d == DocumentTermChunk.undated ? nil : d)
        }
        let total = docs.reduce(UInt64(0)) { $0 + documentTerms[$1.chunk].sizes[$1.k] }
        var acc: [TermID: Double] = [:]
        guard total > 0 else { return [:] }
        for o in docs {
            let chunk = documentTerms[o.chunk]
            let s = Double(chunk.sizes[o.k]) / Double(total)
            for e in chunk.entries(o.k) {
                let t = chunk.terms[e]
                guard let f = counts[t], f > 0 else { continue }
                acc[t, default: 0] += abs(Double(chunk.counts[e]) / Double(f) - s) - s
            }
        }
        return acc.mapValues { 0.5 * ($0 + 1) }
    }

    /// (count, documents) of a term in date range `group` (keyness by dates).
    public func groupCounts(group: Int, term: TermID) -> (count: UInt64, docs: UInt32) {
        groups.table.get(GroupedCounts.key(Int64(group), term)) ?? (0, 0)
    }
}
