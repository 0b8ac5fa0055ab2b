import CorpusCore
import CorpusEngine
import Testing

/// Post-merge tables now in the library (issue 13): trend rows, rising and keyness comparisons.
@Suite("Trend rows and comparisons")
struct ComparisonTests {
    static let jan: Int64 = 536_457_600  // 1987-01-01
    static let day: Int64 = 86_400

    func stats(_ texts: [String], _ dates: [Int64?], _ by: Granularity = .month) throws -> CorpusStats {
        var plan = AnalysisPlan()
        plan.periods = by
        return try run(plan, texts, dates: dates, jobs: 2)
    }

    @Test("dense series: every period from first to last, null per_million where no document")
    func denseGaps() throws {
        // January and March have documents, February none.
        let s = try stats(["oil oil price", "price", "oil"], [Self.jan, Self.jan + 3 * Self.day, Self.jan + 60 * Self.day])
        let oil = SeriesTerm(label: "oil", phraseIndex: nil, id: s.termID("oil"))
        let rows = s.denseTrendRows(series: [oil], smooth: nil)
        #expect(rows.map(\.count) == [2, 0, 1])
        #expect(rows[0].perMillion == 2.0 / 4.0 * 1_000_000)
        #expect(rows[1].perMillion == nil)
        #expect(rows[2].perMillion == 1_000_000)
        let smoothed = s.denseTrendRows(series: [oil], smooth: 3)
        let values = smoothed.map(\.smoothed)
        // A period without documents has no value, and is left out of its neighbours' windows.
        #expect(values == [500_000, nil, 1_000_000])
    }

    @Test("sparse table: nonzero cells only, min-count and stopwords applied, SPEC order")
    func sparse() throws {
        let s = try stats(["the oil the price", "the oil"], [Self.jan, Self.jan + 40 * Self.day])
        let rows = s.sparseTrendRows(minCount: 1, stopwords: [Array("the".utf8)], smooth: nil)
        #expect(rows.map(\.label) == ["oil", "price", "oil"])
        #expect(s.sparseTrendRows(minCount: 2, stopwords: [], smooth: nil).map(\.label) == ["the"])
    }

    @Test("rising: target period against the sum of its baseline periods; G² order")
    func rising() throws {
        let s = try stats(["crash crash crash market", "market a", "market b"],
                          [Self.jan + 280 * Self.day, Self.jan, Self.jan + 40 * Self.day])
        let target = Granularity.month.ordinal(ofSeconds: Self.jan + 280 * Self.day)
        let base = [Granularity.month.ordinal(ofSeconds: Self.jan), Granularity.month.ordinal(ofSeconds: Self.jan + 40 * Self.day)]
        let c = s.periodComparison(target: target, baseline: base)
        #expect(c.targetTokens == 4 && c.referenceTokens == 4)
        let rows = s.comparisonRows(c, minCount: 1, stopwords: [], top: 0)
        #expect(s.vocabulary.string(rows[0].term) == "crash")
        #expect(rows[0].a == 3 && rows[0].b == 0)
        for (x, y) in zip(rows, rows.dropFirst()) { #expect(x.g2 >= y.g2) }
    }

    @Test("keyness of two corpora re-keys the reference by bytes, not ids")
    func rekey() throws {
        let a = try run(AnalysisPlan(), ["zebra apple apple"])
        let b = try run(AnalysisPlan(), ["apple mango mango mango"])
        let c = a.comparison(against: b)
        func n(_ m: [TermID: UInt64], _ w: String) -> UInt64 { a.termID(w).flatMap { m[$0] } ?? 0 }
        #expect(n(c.target, "apple") == 2 && n(c.reference, "apple") == 1)
        #expect(n(c.reference, "mango") == 3 && n(c.target, "mango") == 0)
        #expect(c.targetTokens == 3 && c.referenceTokens == 4)
    }
}
