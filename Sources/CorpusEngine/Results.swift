/// Derived tables, computed from merged counts. Orders follow SPEC.md "Output": count descending,
/// then the key's UTF-8 bytes ascending; a measure sort puts the measure first.

public struct TermRow {
    public var term: TermID
    public var count: UInt64
    public var docs: UInt32
}

public struct PairRow {
    /// The table key: (a << 32 | b) for bigrams and pairs, a chain key for longer n-grams.
    public var key: UInt64
    public var count: UInt64
    public var docs: UInt32
    /// The value sorted on when sorting by a measure.
    var sortValue: Double
    /// Byte-order ranks of the first two terms, packed: the tie-break without touching bytes.
    var rankKey: UInt64
    /// A co-occurrence pair (else an n-gram).
    public var isPair: Bool = false
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

/// Keeps the `top` first elements under `less` (all when top <= 0), sorted. `sortAll`, when given, sorts
/// the whole array in the same order a faster way (nil: it cannot, and `less` does it).
func topSorted<T>(_ items: [T], top: Int, sortAll: (([T]) -> [T]?)? = nil, by less: (T, T) -> Bool) -> [T] {
    if top <= 0 || items.count <= top * 4 {
        var all = sortAll?(items) ?? items.sorted(by: less)
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
        let rank = byteRanks
        for i in 0..<min(a.count, b.count) where a[i] != b[i] {
            return rank[Int(a[i])] < rank[Int(b[i])]
        }
        return a.count < b.count
    }

    /// The terms of a pair row (n-gram words, or term1 and term2 in byte order).
    public func terms(of row: PairRow) -> [TermID] {
        if !row.isPair { return ngramTerms(row.key) }
        var a = TermID(row.key >> 32), b = TermID(row.key & 0xFFFF_FFFF)
        if byteRanks[Int(b)] < byteRanks[Int(a)] { swap(&a, &b) }
        return [a, b]
    }

    /// term1 and term2 of a pair row (n = 2 n-gram order; co-occurrence pairs in byte order).
    public func pairTerms(of row: PairRow) -> (TermID, TermID) { withRanks(for: row) { pairTerms(of: row, ranks: $0) } }

    /// `byteRanks` lent as a buffer for a pair row; an empty one for an n-gram row, which needs none
    /// (so that n-gram tables never build the ranks for it).
    private func withRanks<R>(for row: PairRow, _ body: (UnsafeBufferPointer<UInt32>) -> R) -> R {
        row.isPair ? byteRanks.withUnsafeBufferPointer(body) : body(UnsafeBufferPointer(start: nil, count: 0))
    }

    /// `pairTerms(of:)` with `byteRanks` lent as a buffer. Rows written on several threads at once use
    /// this: each `byteRanks` read retains the shared array, and two threads retaining one array fight
    /// over its reference count's cache line (that cost two-job cooc output 1.5 s of CPU at 100 MB).
    public func pairTerms(of row: PairRow, ranks: UnsafeBufferPointer<UInt32>) -> (TermID, TermID) {
        var a = TermID(row.key >> 32), b = TermID(row.key & 0xFFFF_FFFF)
        if row.isPair && ranks[Int(b)] < ranks[Int(a)] { swap(&a, &b) }
        return (a, b)
    }

    /// The association measures of a pair row (n-grams with n = 2, co-occurrence pairs).
    public func measures(of row: PairRow) -> AssociationMeasures? { withRanks(for: row) { measures(of: row, ranks: $0) } }

    /// `measures(of:)` with `byteRanks` lent as a buffer (see `pairTerms(of:ranks:)`).
    public func measures(of row: PairRow, ranks: UnsafeBufferPointer<UInt32>) -> AssociationMeasures? {
        if row.isPair {
            let (f1, f2, n) = coocMargins(row, ranks: ranks)
            return AssociationMeasures(o: Double(row.count), f1: f1, f2: f2, n: n)
        }
        guard (plan.ngramN ?? 2) == 2 else { return nil }
        let a = Int(row.key >> 32), b = Int(row.key & 0xFFFF_FFFF)
        if let m = skipMargins {
            return AssociationMeasures(o: Double(row.count), f1: Double(m.first[a]), f2: Double(m.second[b]), n: Double(m.total))
        }
        return AssociationMeasures(o: Double(row.count), f1: Double(counts[a]), f2: Double(counts[b]), n: Double(totalTokens))
    }

    /// Margins of a pair with f1 = term1's and f2 = term2's in UTF-8 byte order (not id order, which
    /// depends on scheduling): the floating-point sums then never depend on --jobs.
    func coocMargins(_ row: PairRow, ranks: UnsafeBufferPointer<UInt32>) -> (Double, Double, Double) {
        var a = Int(row.key >> 32), b = Int(row.key & 0xFFFF_FFFF)
        if ranks[b] < ranks[a] { swap(&a, &b) }
        switch plan.cooc ?? .window(5) {
        case .window:
            let m = coocMargins!
            return (Double(m.margin[a]), Double(m.margin[b]), Double(m.total))
        case .sentence: return (Double(sentenceFreq[a]), Double(sentenceFreq[b]), Double(sentenceCount))
        case .document: return (Double(docs[a]), Double(docs[b]), Double(documents))
        }
    }

    /// `terms`: term, count, docs (per_million = count / N × 10⁶).
    public func termRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, excluding stop: TermFilter = TermFilter(), top: Int = 0) -> [TermRow] {
        var rows: [TermRow] = []
        rows.reserveCapacity(counts.count)
        for i in 0..<counts.count where counts[i] >= max(1, minCount) && docs[i] >= minDocs {
            if !stop.isEmpty && stop.contains(Array(vocabulary.bytes(TermID(i)))) { continue }
            rows.append(TermRow(term: TermID(i), count: counts[i], docs: docs[i]))
        }
        let rank = byteRanks
        return topSorted(rows, top: top) { a, b in
            a.count != b.count ? a.count > b.count : rank[Int(a.term)] < rank[Int(b.term)]
        }
    }

    public func perMillion(_ count: UInt64, of total: UInt64) -> Double {
        total == 0 ? 0 : Double(count) / Double(total) * 1_000_000
    }

    func sortPairs(_ rows: [PairRow], sort: PairSort, top: Int) -> [PairRow] {
        let longNgrams = (plan.ngramN ?? 2) > 2 && !(rows.first?.isPair ?? false)
        func tieLess(_ a: PairRow, _ b: PairRow) -> Bool {
            if a.rankKey != b.rankKey { return a.rankKey < b.rankKey }
            return longNgrams ? lessTerms(ngramTerms(a.key), ngramTerms(b.key)) : false
        }
        // The same total order as the comparisons below (rankKey is unique per pair), by radix.
        let radix: (([PairRow]) -> [PairRow]?)? = longNgrams || rows.count <= 1024 ? nil : { self.radixSorted($0, sort: sort) }
        switch sort {
        case .count:
            return topSorted(rows, top: top, sortAll: radix) { a, b in
                a.count != b.count ? a.count > b.count : tieLess(a, b)
            }
        case .measure:
            return topSorted(rows, top: top, sortAll: radix) { a, b in
                if a.sortValue != b.sortValue { return a.sortValue > b.sortValue }
                return a.count != b.count ? a.count > b.count : tieLess(a, b)
            }
        }
    }

    /// Pair rows in `sortPairs`' order by a radix sort on (measure descending,) count descending, rankKey
    /// ascending; nil when a measure is NaN (no total order: the comparison sort decides).
    func radixSorted(_ rows: [PairRow], sort: PairSort) -> [PairRow]? {
        let order: [UInt32]?
        switch sort {
        case .count:
            // (max − count, rank of term1, rank of term2) packed into one word when the widths allow
            // (cooc at 100 MB: 19 + 17 + 17 bits).
            var maxCount: UInt64 = 0, maxRank: UInt64 = 0
            for r in rows {
                maxCount = max(maxCount, r.count)
                maxRank = max(maxRank, r.rankKey >> 32, r.rankKey & 0xFFFF_FFFF)
            }
            let rb = RadixOrder.width(maxRank), cb = RadixOrder.width(maxCount)
            if cb + 2 * rb <= 64 {
                order = RadixOrder.order(rows) { r, i in
                    PackedItem(key: (maxCount - r.count) << (2 * rb) | (r.rankKey >> 32) << rb | (r.rankKey & 0xFFFF_FFFF), index: i)
                }
            } else {
                order = RadixOrder.order(rows) { r, i in WideItem(k0: ~r.count, k1: r.rankKey, k2: 0, index: i) }
            }
        case .measure:
            order = RadixOrder.order(rows) { r, i in
                r.sortValue.isNaN ? nil : WideItem(k0: RadixOrder.descending(r.sortValue), k1: ~r.count, k2: r.rankKey, index: i)
            }
        }
        return order.map { order in rows.withUnsafeBufferPointer { r in order.map { r[Int($0)] } } }
    }

    /// `ngrams`: with measures for n = 2 (f = unigram counts, N = total tokens; skip-bigrams: the margins of
    /// the skip-bigram sample).
    public func ngramRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, sort: PairSort = .count, top: Int = 0) -> [PairRow] {
        let rank = byteRanks
        let n = plan.ngramN ?? 2
        var rows: [PairRow] = []
        rows.reserveCapacity(ngrams.count)
        ngrams.forEach { key, c, d in
            guard c >= minCount && d >= minDocs else { return }
            var row = PairRow(key: key, count: c, docs: d, sortValue: 0, rankKey: 0)
            if n == 2 {
                row.rankKey = UInt64(rank[Int(key >> 32)]) << 32 | UInt64(rank[Int(key & 0xFFFF_FFFF)])
            } else {
                let t = ngramTerms(key)
                row.rankKey = UInt64(rank[Int(t[0])]) << 32 | UInt64(rank[Int(t[1])])
            }
            if case .measure(let m) = sort, let ms = measures(of: row) { row.sortValue = ms.value(m) }
            rows.append(row)
        }
        return sortPairs(rows, sort: sort, top: top)
    }

    /// `cooc`: term1 < term2 by UTF-8 bytes. Window scope: the ordered-pair sample (f = ordered pairs
    /// whose node is the term, N = all ordered pairs); sentence (document) scope: f = sentences
    /// (documents) containing the term, N = sentences (documents).
    public func coocRows(minCount: UInt64 = 1, minDocs: UInt32 = 0, sort: PairSort = .count, top: Int = 0) -> [PairRow] {
        let rank = byteRanks
        var rows: [PairRow] = []
        rows.reserveCapacity(cooc.count)
        cooc.forEach { key, c, d in
            guard c >= minCount && d >= minDocs else { return }
            let ra = UInt64(rank[Int(key >> 32)]), rb = UInt64(rank[Int(key & 0xFFFF_FFFF)])
            var row = PairRow(key: key, count: c, docs: d, sortValue: 0, rankKey: ra < rb ? ra << 32 | rb : rb << 32 | ra, isPair: true)
            if case .measure(let m) = sort, let ms = measures(of: row) { row.sortValue = ms.value(m) }
            rows.append(row)
        }
        return sortPairs(rows, sort: sort, top: top)
    }

    /// `collocates`: the window table's ordered-pair sample: O = count, f1 = neighbours within the
    /// window of the node's occurrences, f2 = the collocate's ordered pairs, N = all ordered pairs.
    public func collocateRows(minCount: UInt64 = 1, excluding stop: TermFilter = TermFilter(), sort: PairSort = .measure(.logDice), top: Int = 0) -> [CollocateRow] {
        var rows: [CollocateRow] = []
        let margins = collocMargins!
        let n = Double(margins.total)
        let f1 = Double(nodeNeighbours)
        collocAll.forEach { key, c, d in
            guard c >= minCount else { return }
            let t = TermID(key)
            if !stop.isEmpty && stop.contains(Array(vocabulary.bytes(t))) { return }
            let left = collocLeft.get(key)?.count ?? 0
            let m = AssociationMeasures(o: Double(c), f1: f1, f2: Double(margins.margin[Int(t)]), n: n)
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
