import CorpusCore

/// One group of a `--group-by` run as statistics of its own.
extension CorpusStats {
    /// The groups of a grouped run, sorted by their names' UTF-8 bytes (the empty name — documents without
    /// the field — first).
    public var groupNames: [String] {
        fieldGroups.names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The tables of one group (documents holding that value of the `--group-by` field) as a `CorpusStats`
    /// sharing this run's vocabulary: term counts and documents, tokens, documents, and (with periods) the
    /// per-period tables — exactly what a run over only that group's documents would give for them, so
    /// every post-merge function (term rows, trend rows, periods) gives the group's rows unchanged.
    /// Undated documents of the group are `documents` minus the dated ones when the plan has periods.
    public func groupView(_ name: String) -> CorpusStats {
        var sub = plan
        sub.groupBy = nil
        let view = CorpusStats(plan: sub, vocabulary: vocabulary)
        view.byteRanks = byteRanks
        guard let g = fieldGroups.indexOf[name] else { return view }
        let n = vocabulary.count
        view.counts = [UInt64](repeating: 0, count: n)
        view.docs = [UInt32](repeating: 0, count: n)
        for (t, c, d) in groupBuckets.terms[g] {
            view.counts[Int(t)] = c
            view.docs[Int(t)] = d
        }
        let totals = fieldGroups.counts.totals[Int64(g)] ?? (0, 0)
        view.totalTokens = totals.tokens
        view.documents = totals.docs
        for combo in groupBuckets.combos[g] {
            let p = fieldGroups.combos[combo].period
            if let t = periods.totals[Int64(combo)] { view.periods.totals[p] = t }
        }
        for (combo, t, c, d) in groupBuckets.periodTerms[g] {
            view.periods.table.merge(GroupedCounts.key(fieldGroups.combos[combo].period, t), count: c, docs: d)
        }
        phraseCounts.forEach { key, c, d in
            let (combo, i) = GroupedCounts.split(key)
            guard fieldGroups.combos[Int(combo)].group == g else { return }
            view.phraseCounts.merge(GroupedCounts.key(fieldGroups.combos[Int(combo)].period, i), count: c, docs: d)
        }
        if !termPositions.isEmpty {
            let member = fieldGroups.documentGroups
            view.termPositions = termPositions.map { $0.filtered { member[$0]?.contains(g) ?? false } }
        }
        if plan.periods != nil {
            let dated = view.periods.totals.values.reduce(UInt64(0)) { $0 + $1.docs }
            view.undated = view.documents - min(view.documents, dated)
        }
        return view
    }
}

extension CorpusStats {
    /// `keyness --target-group [--reference-group]`: a group's counts against another group's, or against
    /// every document without the target value (the run's counts minus the target's: a document counts once
    /// in the run and once in each of its groups).
    public func groupComparison(target: CorpusStats, reference: CorpusStats?) -> Comparison {
        var c = Comparison()
        for i in 0..<target.counts.count where target.counts[i] > 0 { c.target[TermID(i)] = target.counts[i] }
        c.targetTokens = target.totalTokens
        if let reference {
            for i in 0..<reference.counts.count where reference.counts[i] > 0 { c.reference[TermID(i)] = reference.counts[i] }
            c.referenceTokens = reference.totalTokens
        } else {
            for i in 0..<counts.count {
                let rest = counts[i] - (i < target.counts.count ? target.counts[i] : 0)
                if rest > 0 { c.reference[TermID(i)] = rest }
            }
            c.referenceTokens = totalTokens - target.totalTokens
        }
        return c
    }
}

/// A grouped run's tables bucketed by group once (so that each `groupView` costs its own entries, not the
/// whole table's).
struct GroupBuckets {
    var terms: [[(TermID, UInt64, UInt32)]] = []
    var combos: [[Int]] = []
    var periodTerms: [[(Int, TermID, UInt64, UInt32)]] = []
}
