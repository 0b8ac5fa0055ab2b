/// Derived tables, computed from merged counts. Orders follow SPEC.md "Output": count descending,
/// then the key's UTF-8 bytes ascending; a measure sort puts the measure first.

public struct TermRow {
    public var term: TermID
    public var count: UInt64
    public var docs: UInt32
}

public struct PairRow {
    /// For n-grams: the n terms; for pairs: term1, term2 ordered by UTF-8 bytes.
    public var terms: [TermID]
    public var count: UInt64
    public var docs: UInt32
    public var measures: AssociationMeasures?
}

public struct CollocateRow {
    public var term: TermID
    public var count: UInt64
    public var left: UInt64
    public var right: UInt64
    public var docs: UInt32
    public var measures: AssociationMeasures
}

/// Sort order of pair tables.
public enum PairSort: Sendable, Equatable {
    case count
    case measure(MeasureName)

    public init?(_ s: String) {
        if s == "count" { self = .count; return }
        guard let m = MeasureName(rawValue: s) else { return nil }
        self = .measure(m)
    }
}

/// Keeps the `top` first elements under `less` (all when top <= 0), sorted.
func topSorted<T>(_ items: [T], top: Int, by less: (T, T) -> Bool) -> [T] {
    if top <= 0 || items.count <= top * 4 {
        var all = items
        all.sort(by: less)
        if top > 0 && all.count > top { all.removeSubrange(top...) }
        return all
    }
    // Bounded selection: keep a sorted buffer of at most `top`, inserting when better than its worst.
    var heap: [T] = []
    heap.reserveCapacity(top + 1)
    for x in items {
        if heap.count == top, !less(x, heap[top - 1]) { continue }
        var lo = 0, hi = heap.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if less(heap[mid], x) { lo = mid + 1 } else { hi = mid }
        }
        heap.insert(x, at: lo)
        if heap.count > top { heap.removeLast() }
    }
    return heap
}

extension CorpusStats {
    /// Compares term sequences by their UTF-8 bytes, element by element.
    func lessTerms(_ a: [TermID], _ b: [TermID]) -> Bool {
        for i in 0..<min(a.count, b.count) where a[i] != b[i] {
            return vocabulary.less(a[i], b[i])
        }
        return a.count < b.count
    }

    /// `terms`: term, count, docs (per_million = count / N × 10⁶).
    public func termRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, excluding stop: Set<[UInt8]> = [], top: Int = 0) -> [TermRow] {
        var rows: [TermRow] = []
        rows.reserveCapacity(counts.count)
        for i in 0..<counts.count where counts[i] >= max(1, minCount) && docs[i] >= minDocs {
            if !stop.isEmpty && stop.contains(Array(vocabulary.bytes(TermID(i)))) { continue }
            rows.append(TermRow(term: TermID(i), count: counts[i], docs: docs[i]))
        }
        return topSorted(rows, top: top) { a, b in
            a.count != b.count ? a.count > b.count : vocabulary.less(a.term, b.term)
        }
    }

    public func perMillion(_ count: UInt64, of total: UInt64) -> Double {
        total == 0 ? 0 : Double(count) / Double(total) * 1_000_000
    }

    func sortPairs(_ rows: [PairRow], sort: PairSort, top: Int) -> [PairRow] {
        switch sort {
        case .count:
            return topSorted(rows, top: top) { a, b in
                a.count != b.count ? a.count > b.count : lessTerms(a.terms, b.terms)
            }
        case .measure(let m):
            return topSorted(rows, top: top) { a, b in
                let x = a.measures?.value(m) ?? 0, y = b.measures?.value(m) ?? 0
                if x != y { return x > y }
                return a.count != b.count ? a.count > b.count : lessTerms(a.terms, b.terms)
            }
        }
    }

    /// `ngrams`: with measures for n = 2 (f = unigram counts, N = total tokens).
    public func ngramRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, sort: PairSort = .count, top: Int = 0) -> [PairRow] {
        let n = Double(totalTokens)
        let bigrams = (plan.ngramN ?? 2) == 2
        var rows: [PairRow] = []
        ngrams.forEach { key, c, d in
            guard c >= minCount && d >= minDocs else { return }
            let terms = ngramTerms(key)
            var m: AssociationMeasures? = nil
            if bigrams {
                m = AssociationMeasures(o: Double(c), f1: Double(counts[Int(terms[0])]), f2: Double(counts[Int(terms[1])]), n: n)
            }
            rows.append(PairRow(terms: terms, count: c, docs: d, measures: m))
        }
        return sortPairs(rows, sort: sort, top: top)
    }

    /// `cooc`: term1 < term2 by UTF-8 bytes. Window scope: f = unigram counts, N = tokens; sentence
    /// (document) scope: f = sentences (documents) containing the term, N = sentences (documents).
    public func coocRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, sort: PairSort = .count, top: Int = 0) -> [PairRow] {
        let scope = plan.cooc ?? .window(5)
        let total: Double
        switch scope {
        case .window: total = Double(totalTokens)
        case .sentence: total = Double(sentenceCount)
        case .document: total = Double(documents)
        }
        func f(_ t: TermID) -> Double {
            switch scope {
            case .window: Double(counts[Int(t)])
            case .sentence: Double(sentenceFreq[Int(t)])
            case .document: Double(docs[Int(t)])
            }
        }
        var rows: [PairRow] = []
        cooc.forEach { key, c, d in
            guard c >= minCount && d >= minDocs else { return }
            var a = TermID(key >> 32), b = TermID(key & 0xFFFF_FFFF)
            if vocabulary.less(b, a) { swap(&a, &b) }
            rows.append(PairRow(terms: [a, b], count: c, docs: d, measures: AssociationMeasures(o: Double(c), f1: f(a), f2: f(b), n: total)))
        }
        return sortPairs(rows, sort: sort, top: top)
    }

    /// `collocates`: O = count, f1 = node frequency, f2 = the collocate's count, N = total tokens.
    public func collocateRows(minCount: UInt64 = 1, sort: PairSort = .measure(.logDice), top: Int = 0) -> [CollocateRow] {
        var rows: [CollocateRow] = []
        let n = Double(totalTokens)
        collocAll.forEach { key, c, d in
            guard c >= minCount else { return }
            let t = TermID(key)
            let left = collocLeft.get(key)?.count ?? 0
            let m = AssociationMeasures(o: Double(c), f1: Double(nodeCount), f2: Double(counts[Int(t)]), n: n)
            rows.append(CollocateRow(term: t, count: c, left: left, right: c - left, docs: d, measures: m))
        }
        let less: (CollocateRow, CollocateRow) -> Bool
        switch sort {
        case .count:
            less = { a, b in a.count != b.count ? a.count > b.count : self.vocabulary.less(a.term, b.term) }
        case .measure(let name):
            less = { a, b in
                let x = a.measures.value(name), y = b.measures.value(name)
                if x != y { return x > y }
                return a.count != b.count ? a.count > b.count : self.vocabulary.less(a.term, b.term)
            }
        }
        return topSorted(rows, top: top, by: less)
    }
}
