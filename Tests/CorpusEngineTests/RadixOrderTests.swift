@testable import CorpusEngine
import Testing

/// The radix sort behind pair tables' order (`sortPairs`): the same order as a stable comparison sort,
/// with one packed key word or three key words, and the measure order of SPEC.md "Output".
@Suite("Radix order")
struct RadixOrderTests {
    /// A small deterministic generator (the same keys on every run).
    struct LCG {
        var x: UInt64
        mutating func next() -> UInt64 {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return x ^ (x >> 29)
        }
    }

    @Test("one key word: the stable order of a comparison sort", arguments: [UInt64(1), 3, 1 << 11, 1 << 20, UInt64.max])
    func packed(modulus: UInt64) {
        var g = LCG(x: modulus)
        var items = (0..<20_000).map { i in PackedItem(key: modulus == .max ? g.next() : g.next() % modulus, index: UInt32(i)) }
        let expected = items.sorted { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }.map(\.index)
        RadixOrder.sort(&items)
        #expect(items.map(\.index) == expected)
    }

    @Test("three key words, word 0 first, ties kept in input order")
    func wide() {
        var g = LCG(x: 7)
        // Few distinct values per word, so that every word decides some comparisons; high bits set too.
        var items = (0..<30_000).map { i in
            WideItem(k0: (g.next() % 4) << 61, k1: g.next() % 5 | (g.next() % 2) << 40, k2: g.next() % 300, index: UInt32(i))
        }
        let expected = items.sorted {
            if $0.k0 != $1.k0 { return $0.k0 < $1.k0 }
            if $0.k1 != $1.k1 { return $0.k1 < $1.k1 }
            if $0.k2 != $1.k2 { return $0.k2 < $1.k2 }
            return $0.index < $1.index
        }.map(\.index)
        RadixOrder.sort(&items)
        #expect(items.map(\.index) == expected)
    }

    @Test("descending(_:) orders doubles largest first; -0.0 equals 0.0")
    func descendingDoubles() {
        let ascending: [Double] = [-.infinity, -1e300, -1, -.leastNormalMagnitude, -.leastNonzeroMagnitude, 0,
                                   .leastNonzeroMagnitude, .leastNormalMagnitude, 0.1, 1, 1e300, .infinity]
        let keys = ascending.map(RadixOrder.descending)
        for i in 1..<keys.count { #expect(keys[i] < keys[i - 1], "\(ascending[i]) vs \(ascending[i - 1])") }
        #expect(RadixOrder.descending(-0.0) == RadixOrder.descending(0.0))
    }

    /// Rows as `coocRows` makes them: unique rankKeys (two ranks), counts and measures with many ties.
    static func rows(_ n: Int, countBits: Int, rankBits: Int, seed: UInt64) -> [PairRow] {
        var g = LCG(x: seed)
        var seen = Set<UInt64>()
        var rows: [PairRow] = []
        while rows.count < n {
            let a = g.next() % (1 << UInt64(rankBits)), b = g.next() % (1 << UInt64(rankBits))
            let rankKey = a << 32 | b
            if !seen.insert(rankKey).inserted { continue }
            let count = 1 + g.next() % 7 + (g.next() % 3 == 0 ? (1 << UInt64(countBits - 1)) : 0)
            let measures: [Double] = [-2.5, -0.0, 0.0, 1.0 / 3, 7, .infinity, -.infinity]
            rows.append(PairRow(key: UInt64(rows.count), count: count, docs: 1, sortValue: measures[Int(g.next() % 7)],
                                rankKey: rankKey, isPair: true))
        }
        return rows
    }

    @Test("sortPairs by radix equals the comparison order (packed and wide keys, count and measure, top)",
          arguments: [(11, 17), (40, 20), (60, 31)])
    func pairOrder(countBits: Int, rankBits: Int) {
        let stats = CorpusStats(plan: AnalysisPlan())
        let rows = Self.rows(5000, countBits: countBits, rankBits: rankBits, seed: UInt64(countBits))
        let byCount: (PairRow, PairRow) -> Bool = { a, b in a.count != b.count ? a.count > b.count : a.rankKey < b.rankKey }
        let byMeasure: (PairRow, PairRow) -> Bool = { a, b in
            if a.sortValue != b.sortValue { return a.sortValue > b.sortValue }
            return byCount(a, b)
        }
        for top in [0, 2000] {
            let count = Array(stats.radixSorted(rows, sort: .count)!.prefix(top > 0 ? top : rows.count)).map(\.key)
            var want = rows.sorted(by: byCount).map(\.key)
            if top > 0 { want = Array(want.prefix(top)) }
            #expect(count == want, "count, top \(top)")
            #expect(stats.sortPairs(rows, sort: .count, top: top).map(\.key) == want)
            let measure = Array(stats.radixSorted(rows, sort: .measure(.pmi))!.prefix(top > 0 ? top : rows.count)).map(\.key)
            var wantM = rows.sorted(by: byMeasure).map(\.key)
            if top > 0 { wantM = Array(wantM.prefix(top)) }
            #expect(measure == wantM, "measure, top \(top)")
        }
    }

    @Test("a NaN measure leaves the order to the comparison sort")
    func nanFallsBack() {
        let stats = CorpusStats(plan: AnalysisPlan())
        var rows = Self.rows(2000, countBits: 8, rankBits: 12, seed: 3)
        rows[17].sortValue = .nan
        #expect(stats.radixSorted(rows, sort: .measure(.pmi)) == nil)
        #expect(stats.sortPairs(rows, sort: .measure(.pmi), top: 0).count == rows.count)
    }
}
