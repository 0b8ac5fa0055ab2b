import CorpusCore
import CorpusEngine
import CorpusICU
import Testing
#if canImport(Glibc)
import Glibc
#endif

func docs(_ texts: [String], dates: [Int64?]? = nil) -> [Document] {
    texts.enumerated().map { i, t in
        Document(id: "d\(i)", source: "test:\(i + 1)", date: dates?[i] ?? nil, title: nil, body: Array(t.utf8), ordinal: i)
    }
}

func run(_ plan: AnalysisPlan, _ texts: [String], dates: [Int64?]? = nil, jobs: Int = 1) throws -> CorpusStats {
    try Engine.run(plan: plan, jobs: jobs, source: .batches(ArrayDocumentSource(docs(texts, dates: dates)), batchSize: 1))
}

func termTable(_ s: CorpusStats) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for r in s.termRows() { out[s.vocabulary.string(r.term)] = r.count }
    return out
}

func ngramTable(_ s: CorpusStats) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for r in s.ngramRows() { out[s.terms(of: r).map { s.vocabulary.string($0) }.joined(separator: " ")] = r.count }
    return out
}

func pairTable(_ s: CorpusStats) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for r in s.coocRows() { out[s.terms(of: r).map { s.vocabulary.string($0) }.joined(separator: "|")] = r.count }
    return out
}

@Suite("Counting engine")
struct EngineTests {
    @Test("terms: counts, docs, order by count then bytes")
    func terms() throws {
        let s = try run(AnalysisPlan(), ["b a a. C", "a b"])
        let rows = s.termRows()
        #expect(rows.map { s.vocabulary.string($0.term) } == ["a", "b", "c"])
        #expect(rows.map(\.count) == [3, 2, 1])
        #expect(rows.map(\.docs) == [2, 2, 1])
        #expect(s.totalTokens == 6)
    }

    @Test("n-grams never cross a sentence or a document")
    func ngramBoundaries() throws {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        let s = try run(plan, ["One two. Three four.", "five six"])
        #expect(ngramTable(s) == ["one two": 1, "three four": 1, "five six": 1])
    }

    @Test("trigrams and skip-grams (quanteda skip = 0:K)")
    func skipgrams() throws {
        var plan = AnalysisPlan()
        plan.ngramN = 3
        #expect(ngramTable(try run(plan, ["a b c d"])) == ["a b c": 1, "b c d": 1])
        plan.ngramN = 2
        plan.ngramSkip = 1
        #expect(ngramTable(try run(plan, ["a b c d"])) == ["a b": 1, "a c": 1, "b c": 1, "b d": 1, "c d": 1])
        plan.ngramN = 3
        // gaps of 0 or 1 between neighbours: a b c, a b d, a c d, b c d (a _ c _ e needs 5 tokens)
        #expect(ngramTable(try run(plan, ["a b c d"])) == ["a b c": 1, "a b d": 1, "a c d": 1, "b c d": 1])
    }

    @Test("stopwords: n-grams with a stopword are not counted, positions still count")
    func stopwordPositions() throws {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        plan.filter = [Array("the".utf8)]
        // "cat the dog": no false adjacency "cat dog".
        #expect(ngramTable(try run(plan, ["cat the dog sat"])) == ["dog sat": 1])
    }

    @Test("co-occurrence window: position pairs, terms differ, key in byte order")
    func coocWindow() throws {
        var plan = AnalysisPlan()
        plan.cooc = .window(2)
        let s = try run(plan, ["B a a c. B c"])  // a capital after the full stop: ICU breaks the sentence
        // sentence 1: (b,a) (b,a) (a,a)x (a,c) (a,c); sentence 2: (b,c)
        #expect(pairTable(s) == ["a|b": 2, "a|c": 2, "b|c": 1])
    }

    @Test("co-occurrence by sentence and by document")
    func coocScopes() throws {
        var plan = AnalysisPlan()
        plan.cooc = .sentence
        #expect(pairTable(try run(plan, ["A b. A b c.", "B a"])) == ["a|b": 3, "a|c": 1, "b|c": 1])
        plan.cooc = .document
        #expect(pairTable(try run(plan, ["A b. A b c.", "B a"])) == ["a|b": 2, "a|c": 1, "b|c": 1])
    }

    @Test("collocates: left and right within the window, node excluded")
    func collocates() throws {
        var plan = AnalysisPlan()
        plan.collocateNode = ["x"]
        plan.collocateWindow = 2
        let s = try run(plan, ["A b x c x d e. X f"])
        var got: [String: (UInt64, UInt64)] = [:]
        for r in s.collocateRows(sort: .count) { got[s.vocabulary.string(r.term)] = (r.left, r.right) }
        #expect(s.nodeCount == 3)
        #expect(got["a"]! == (1, 0))
        #expect(got["b"]! == (1, 0))
        #expect(got["c"]! == (1, 1))
        #expect(got["d"]! == (0, 1))
        #expect(got["e"]! == (0, 1))
        #expect(got["f"]! == (0, 1))
        #expect(got["x"] == nil)
    }

    @Test("output is identical for any number of jobs")
    func determinism() throws {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        plan.cooc = .window(5)
        let texts = (0..<200).map { i in "word\(i % 7) common text \(i % 13) Ünïcode 東京は晴れ. next\(i % 3) sentence here" }
        let one = try run(plan, texts, jobs: 1), four = try run(plan, texts, jobs: 4)
        func flat(_ s: CorpusStats) -> [String] {
            s.termRows().map { "\(s.vocabulary.string($0.term))\t\($0.count)\t\($0.docs)" }
                + s.ngramRows().map { "\(s.terms(of: $0).map { s.vocabulary.string($0) })\t\($0.count)\t\($0.docs)" }
                + s.coocRows().map { "\(s.terms(of: $0).map { s.vocabulary.string($0) })\t\($0.count)\t\($0.docs)" }
        }
        #expect(flat(one) == flat(four))
    }

    @Test("measures: SPEC.md formulas on a hand-computed table, including a zero cell")
    func measures() {
        // O = 2, f1 = 2, f2 = 4, N = 10: O12 = 0 (a zero cell).
        let m = AssociationMeasures(o: 2, f1: 2, f2: 4, n: 10)
        let e = 2.0 * 4 / 10
        #expect(abs(m.pmi - log2(2.0 * 10 / 8)) < 1e-12)
        #expect(abs(m.npmi - m.pmi / -log2(0.2)) < 1e-12)
        #expect(abs(m.tScore - (2 - e) / 2.0.squareRoot()) < 1e-12)
        // O11 = 2, O12 = 0, O21 = 2, O22 = 6; E = 0.8, 1.2, 3.2, 4.8. O12 = 0 contributes nothing to g2.
        let g = 2 * (2 * log(2 / 0.8) + 2 * log(2 / 3.2) + 6 * log(6 / 4.8))
        #expect(abs(m.g2 - g) < 1e-9)
        let chi = pow(2 - 0.8, 2) / 0.8 + pow(0 - 1.2, 2) / 1.2 + pow(2 - 3.2, 2) / 3.2 + pow(6 - 4.8, 2) / 4.8
        #expect(abs(m.chi2 - chi) < 1e-9)
        #expect(m.dice == 2.0 * 2 / 6)
        #expect(abs(m.logDice - (14 + log2(4.0 / 6))) < 1e-12)
        // A pair that occurs once, in a tiny corpus.
        let once = AssociationMeasures(o: 1, f1: 1, f2: 1, n: 2)
        #expect(once.pmi == 1)
        #expect(once.dice == 1 && once.logDice == 14)
    }

    @Test("keyness is symmetric: swapping target and reference flips g2's sign")
    func keynessSymmetry() {
        let g = TwoCorpus.g2(a: 30, b: 10, nt: 1000, nb: 2000)
        let h = TwoCorpus.g2(a: 10, b: 30, nt: 2000, nb: 1000)
        #expect(g > 0 && abs(g + h) < 1e-12)
        #expect(abs(TwoCorpus.logRatio(a: 30, b: 10, nt: 1000, nb: 2000) + TwoCorpus.logRatio(a: 10, b: 30, nt: 2000, nb: 1000)) < 1e-12)
        #expect(TwoCorpus.logRatio(a: 4, b: 0, nt: 100, nb: 100) == log2(4 / 0.5))
    }

    @Test("Kleinberg finds a known burst in a synthetic series")
    func burst() {
        var r = [Double](repeating: 2, count: 30)
        let d = [Double](repeating: 100, count: 30)
        for i in 12..<17 { r[i] = 30 }
        let b = kleinbergBursts(r: r, d: d)
        #expect(b.count == 1)
        #expect(b.first?.start == 12 && b.first?.end == 16)
        #expect((b.first?.weight ?? 0) > 0)
        #expect(kleinbergBursts(r: [Double](repeating: 5, count: 10), d: [Double](repeating: 100, count: 10)).isEmpty)
    }
}

@Suite("Periods")
struct PeriodTests {
    static let day: Int64 = 86_400

    @Test("labels", arguments: [
        // (date, granularity, label)
        ("2021-01-03", Granularity.week, "2020-W53"),  // a Sunday belongs to the ISO year before
        ("2021-01-04", .week, "2021-W01"),
        ("2019-12-30", .week, "2020-W01"),  // a Monday in December starts ISO week 1 of the next year
        ("1987-10-19", .week, "1987-W43"),
        ("1987-10-19", .month, "1987-10"),
        ("1987-10-19", .quarter, "1987-Q4"),
        ("1987-03-31", .quarter, "1987-Q1"),
        ("1987-04-01", .quarter, "1987-Q2"),
        ("1789-04-30", .year, "1789"),
        ("2024-02-29", .day, "2024-02-29"),
    ])
    func labels(_ date: String, _ g: Granularity, _ label: String) throws {
        let o = try #require(Granularity.day.ordinal(ofLabel: date))
        let ord = g.ordinal(ofSeconds: o * PeriodTests.day + 3600)
        #expect(g.label(ofOrdinal: ord) == label)
        #expect(g.ordinal(ofLabel: label) == ord)
        #expect(g.startDay(ofOrdinal: ord) <= o && o < g.startDay(ofOrdinal: ord + 1))
    }

    @Test("a time zone crossing midnight UTC buckets by the UTC date")
    func utc() {
        // 1987-03-31T23:30:00-05:00 = 1987-04-01T04:30Z → April, Q2.
        let t = CivilDate.days(year: 1987, month: 4, day: 1) * PeriodTests.day + 4 * 3600 + 1800
        #expect(Granularity.month.label(ofOrdinal: Granularity.month.ordinal(ofSeconds: t)) == "1987-04")
        #expect(Granularity.day.label(ofOrdinal: Granularity.day.ordinal(ofSeconds: -1)) == "1969-12-31")
    }

    @Test("moving average is centred and truncated at the ends")
    func smoothing() {
        #expect(centredMovingAverage([3, 0, 0, 6], k: 3) == [1.5, 1, 2, 3])
        #expect(centredMovingAverage([1, 2], k: 1) == [1, 2])
    }

    @Test("per-period counts from dated documents; undated ones left out")
    func periodCounts() throws {
        var plan = AnalysisPlan()
        plan.periods = .month
        let jan = CivilDate.days(year: 2020, month: 1, day: 15) * PeriodTests.day, feb = CivilDate.days(year: 2020, month: 2, day: 1) * PeriodTests.day
        let s = try run(plan, ["oil oil gas", "oil", "oil"], dates: [jan, feb, nil])
        let jo = Granularity.month.ordinal(ofSeconds: jan), fo = Granularity.month.ordinal(ofSeconds: feb)
        let oil = try #require(s.termID("oil"))
        #expect(s.periodCount(period: jo, term: oil).count == 2)
        #expect(s.periodCount(period: fo, term: oil).count == 1)
        #expect(s.periodTokens(jo) == 3 && s.periodTokens(fo) == 1)
        #expect(s.undated == 1)
    }
}

@Suite("Tokenizer")
struct TokenizerTests {
    @Test("the fused ASCII lowercase+hash path interns like the byte path, across table growth")
    func fusedHash() throws {
        let t = try Tokenizer(options: TokenizerOptions(segmenter: .icu))
        let words = (0..<20_000).map { "Word\($0)X" + String(repeating: "y", count: $0 % 11) }
        let text = (words + words.map { $0.uppercased() }).joined(separator: " ")
        var out = TokenizedText()
        Array(text.utf8).withUnsafeBufferPointer { t.tokenize($0, sentences: false, into: &out) }
        #expect(out.terms.count == 40_000)
        #expect(t.vocabulary.count == 20_000)
        for (i, w) in words.enumerated() {
            #expect(t.vocabulary.lookup(w.lowercased()) == out.terms[i])
        }
    }

    @Test("SPEC.md's example", arguments: [TokenizerOptions(segmenter: .icu), TokenizerOptions(segmenter: .auto)])
    func specExample(_ o: TokenizerOptions) throws {
        let t = try Tokenizer(options: o)
        #expect(t.tokens(of: "Ｆｕｌｌ-width ﬁ U.S. gov’t 3.14 東京は晴れ") == ["full", "width", "fi", "u.s", "gov't", "3.14", "東京", "は", "晴れ"])
    }
}
