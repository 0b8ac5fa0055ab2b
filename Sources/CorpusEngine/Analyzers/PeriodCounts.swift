import CorpusCore

/// Per period (day, week, month, quarter or year of each dated document): every term's count and
/// documents, the period's tokens and documents; and the multi-word phrases of `trends --terms`, counted
/// as n-grams within a sentence (single words come from the term table). In a grouped run (`--group-by`)
/// the tables are keyed by (group, period) combos instead of periods (`WorkerContext.groupCombo`).
final class PeriodCounter: WorkerAnalyzer {
    let granularity: Granularity
    var periods = GroupedCounts()
    let phraseIDs: [[TermID]]
    /// key = (period << 32 | phrase index)
    var phraseCounts = CountTable()
    unowned let context: WorkerContext
    let grouped: Bool

    init(granularity: Granularity, phrases: [[String]], _ c: WorkerContext) {
        self.granularity = granularity
        phraseIDs = phrases.map { $0.map { c.vocab.intern($0) } }
        context = c
        grouped = c.plan.groupBy != nil
    }

    func grow(to n: Int) {}

    func process(_ doc: Document, _ c: WorkerContext) {
        guard let date = doc.date else { return }
        let p = granularity.ordinal(ofSeconds: date)
        if grouped {
            for g in c.docGroups {
                let k = c.groupCombo(g, p)
                periods.add(group: k, terms: c.tokens.terms, stamp: c.stamp)
                if !phraseIDs.isEmpty { countPhrases(period: k, c) }
            }
            return
        }
        periods.add(group: p, terms: c.tokens.terms, stamp: c.stamp)
        if !phraseIDs.isEmpty { countPhrases(period: p, c) }
    }

    private func countPhrases(period: Int64, _ c: WorkerContext) {
        let terms = c.tokens.terms
        let stamp = c.stamp
        for (pi, phrase) in phraseIDs.enumerated() where phrase.count > 1 {
            let key = GroupedCounts.key(period, UInt32(pi))
            c.tokens.forEachSentence { range in
                guard range.count >= phrase.count else { return }
                for a in range.lowerBound...(range.upperBound - phrase.count) {
                    var match = true
                    for k in 0..<phrase.count where terms[a + k] != phrase[k] { match = false; break }
                    if match { phraseCounts.add(key, doc: stamp) }
                }
            }
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        let combos = grouped ? context.comboRemap(into: stats) : nil
        periods.merge(into: &stats.periods, remap: remap, groupRemap: combos)
        phraseCounts.forEach { key, c, d in
            var k = key
            if let combos {
                let (p, i) = GroupedCounts.split(key)
                k = GroupedCounts.key(combos[Int(p)], i)
            }
            stats.phraseCounts.merge(k, count: c, docs: d)
        }
    }
}

/// Unigram counts per date range (keyness between date ranges): a document counts in every range its
/// day falls in.
final class DateRangeCounter: WorkerAnalyzer {
    let ranges: [ClosedRange<Int64>]
    var groups = GroupedCounts()

    init(ranges: [ClosedRange<Int64>]) { self.ranges = ranges }

    func grow(to n: Int) {}

    func process(_ doc: Document, _ c: WorkerContext) {
        guard let date = doc.date else { return }
        let day = floorDiv(date, 86_400)
        for (gi, r) in ranges.enumerated() where r.contains(day) {
            groups.add(group: Int64(gi), terms: c.tokens.terms, stamp: c.stamp)
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        groups.merge(into: &stats.groups, remap: remap)
    }
}

/// Per-group (period or date range) totals and term counts.
struct GroupedCounts {
    /// key = (group as Int32 bits) << 32 | term id
    var table = CountTable()
    /// group → (tokens, documents)
    var totals: [Int64: (tokens: UInt64, docs: UInt64)] = [:]

    @inline(__always)
    static func key(_ group: Int64, _ term: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: group))) << 32 | UInt64(term)
    }
    /// The key of a (group, period) pair: `--group-by` combos (`WorkerContext.groupCombo`, `FieldGroupTables`).
    @inline(__always)
    static func comboKey(_ group: Int64, _ period: Int64) -> UInt64 {
        key(group, UInt32(bitPattern: Int32(truncatingIfNeeded: period)))
    }
    @inline(__always)
    static func split(_ key: UInt64) -> (Int64, UInt32) {
        (Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32))), UInt32(truncatingIfNeeded: key))
    }

    mutating func add(group: Int64, terms: [TermID], stamp: UInt32) {
        var t = totals[group] ?? (0, 0)
        t.tokens += UInt64(terms.count)
        t.docs += 1
        totals[group] = t
        for id in terms { table.add(GroupedCounts.key(group, id), doc: stamp) }
    }

    /// Adds these counts (term ids remapped; groups too, by index, when `groupRemap` is given) and totals
    /// into `into`.
    func merge(into: inout GroupedCounts, remap: [TermID], groupRemap: [Int64]? = nil) {
        table.forEach { key, c, d in
            let (g, t) = GroupedCounts.split(key)
            into.table.merge(GroupedCounts.key(groupRemap.map { $0[Int(g)] } ?? g, remap[Int(t)]), count: c, docs: d)
        }
        for (g0, t) in totals {
            let g = groupRemap.map { $0[Int(g0)] } ?? g0
            var cur = into.totals[g] ?? (0, 0)
            cur.tokens += t.tokens
            cur.docs += t.docs
            into.totals[g] = cur
        }
    }
}
