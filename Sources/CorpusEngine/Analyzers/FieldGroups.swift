import CorpusCore

/// `--group-by FIELD`: every term's count and documents per value of a metadata field (`Document.fields`).
/// A document counts once in each of its distinct values; a document without the field counts in the group
/// with the empty name. With periods in the plan, `PeriodCounter` keys its tables by (group, period) combos
/// of the context instead of periods (see `WorkerContext.groupCombo`), so every per-period table is also
/// per group. After the merge, `CorpusStats.groupView(_:)` gives one group's tables as a `CorpusStats`
/// of their own, on which every post-merge function (term rows, trend rows, periods) runs unchanged.
final class FieldGroupCounter: WorkerAnalyzer {
    unowned let context: WorkerContext
    var counts = GroupedCounts()
    /// Per document (ordinal → local groups), kept when the plan has per-document tables (`dispersion`).
    var documentGroups: [(ordinal: Int, groups: [Int32])] = []
    let perDocument: Bool

    init(_ c: WorkerContext) {
        context = c
        perDocument = c.plan.positionsOf != nil
    }

    func grow(to n: Int) {}

    func process(_ doc: Document, _ c: WorkerContext) {
        for g in c.docGroups { counts.add(group: Int64(g), terms: c.tokens.terms, stamp: c.stamp) }
        if perDocument { documentGroups.append((doc.ordinal, c.docGroups)) }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        let groups = context.groupNames.map { Int64(stats.fieldGroups.index(of: $0)) }
        counts.merge(into: &stats.fieldGroups.counts, remap: remap, groupRemap: groups)
        for (o, gs) in documentGroups { stats.fieldGroups.documentGroups[o] = gs.map { Int(groups[Int($0)]) } }
    }
}

/// The groups of a grouped run, merged: their names (global index = order of first merge; output sorts by
/// name), term counts per group, and the (group, period) combos that key the period tables.
struct FieldGroupTables {
    var names: [String] = []
    var indexOf: [String: Int] = [:]
    /// key = (group index, term): counts and documents; totals per group.
    var counts = GroupedCounts()
    /// Combo index → (group index, period ordinal), and back.
    var combos: [(group: Int, period: Int64)] = []
    var comboIndex: [UInt64: Int] = [:]
    /// Document ordinal → its groups (only when per-document tables are kept).
    var documentGroups: [Int: [Int]] = [:]

    mutating func index(of name: String) -> Int {
        if let k = indexOf[name] { return k }
        names.append(name)
        indexOf[name] = names.count - 1
        return names.count - 1
    }

    mutating func combo(group: Int, period: Int64) -> Int {
        let key = GroupedCounts.comboKey(Int64(group), period)
        if let k = comboIndex[key] { return k }
        combos.append((group, period))
        comboIndex[key] = combos.count - 1
        return combos.count - 1
    }
}
