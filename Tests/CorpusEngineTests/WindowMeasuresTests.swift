import CorpusCore
import CorpusEngine
import CorpusICU
import Testing

/// docs/definitions.md "Association measures": the window table is the ordered-pair sample (Evert 2008).
@Suite("Window measures: the ordered-pair sample")
struct WindowMeasuresTests {
    /// Ordered pairs of a sentence of L tokens within w: Σ_i min(i, w) + min(L-1-i, w).
    func orderedPairs(_ l: Int, _ w: Int) -> Int { (0..<l).reduce(0) { $0 + min($1, w) + min(l - 1 - $1, w) } }

    @Test("cooc --window: f1, f2 and N count ordered pairs; hand-computed")
    func handComputed() throws {
        var plan = AnalysisPlan()
        plan.cooc = .window(2)
        // One sentence a b a c: positions 0..3. Neighbours within 2: a0 {b,a}=2, b1 {a,a,c}=3, a2 {a,b,c}=3, c3 {b,a}=2.
        let s = try run(plan, ["a b a c"])
        let rows = s.coocRows()
        var got: [String: (UInt64, Double, Double, Double)] = [:]
        for r in rows {
            let m = s.measures(of: r)!
            let k = s.terms(of: r).map { s.vocabulary.string($0) }.joined(separator: "|")
            got[k] = (r.count, m.dice, m.pmi, m.logDice)
        }
        // f(a) = 2 + 3 = 5, f(b) = 3, f(c) = 2, N = 10.
        // a|b: O = 2 (a0-b1, b1-a2); dice = 4 / 8
        #expect(got["a|b"]!.0 == 2)
        #expect(got["a|b"]!.1 == 0.5)
        // a|c: O = 1 (a2-c3); pmi = log2(1·10 / (5·2)) = 0
        #expect(got["a|c"]!.0 == 1)
        #expect(got["a|c"]!.2 == 0)
        // b|c: O = 1 (b1-c3); dice = 2 / 5
        #expect(got["b|c"]!.1 == 0.4)
    }

    @Test("every measure stays in range, whatever the text", arguments: [1, 2, 5, 10])
    func ranges(_ w: Int) throws {
        var plan = AnalysisPlan()
        plan.cooc = .window(w)
        // Repetitive text makes O large against the unigram counts (the old definition broke here).
        let texts = (0..<40).map { i in String(repeating: "microsoft windows nt microsoft \(i % 3) ", count: 1 + i % 4) + "end." }
        let s = try run(plan, texts)
        #expect(!s.coocRows().isEmpty)
        for r in s.coocRows() {
            let m = s.measures(of: r)!
            #expect(m.dice > 0 && m.dice <= 1)
            #expect(m.logDice <= 14)
            #expect(m.npmi >= -1 - 1e-12 && m.npmi <= 1 + 1e-12)
        }
    }

    @Test("collocates use the same sample: f1 = the node's neighbours, N = all ordered pairs")
    func collocates() throws {
        var plan = AnalysisPlan()
        plan.collocateNode = ["x"]
        plan.collocateWindow = 2
        let s = try run(plan, ["x y x y x z"])
        // Neighbours within 2: x0 2, y1 3, x2 4, y3 4, x4 3, z5 2 → node f1 = 2 + 4 + 3 = 9, N = 18.
        #expect(s.nodeNeighbours == 9)
        for r in s.collocateRows(sort: .count) {
            #expect(r.measures.dice <= 1)
            #expect(r.measures.npmi <= 1 + 1e-12)
            #expect(Double(r.count) <= 9)
        }
        let y = s.collocateRows(sort: .count).first { s.vocabulary.string($0.term) == "y" }!
        // y within 2 of a node: x0-y1, x2-y1, x2-y3, x4-y3 (x0-y3 is 3 apart) = 4
        #expect(y.count == 4)
        // f(y) = 3 + 4 = 7, dice = 2·4 / (9 + 7)
        #expect(y.measures.dice == 0.5)
        #expect(orderedPairs(6, 2) == 18)
    }

    @Test("window margins are identical for any number of jobs")
    func jobs() throws {
        var plan = AnalysisPlan()
        plan.cooc = .window(3)
        let texts = (0..<100).map { "alpha beta \($0 % 5) gamma alpha. Delta \($0 % 7) beta" }
        let a = try run(plan, texts, jobs: 1), b = try run(plan, texts, jobs: 3)
        func flat(_ s: CorpusStats) -> [String] {
            s.coocRows().map { r in "\(s.terms(of: r).map { s.vocabulary.string($0) })\(r.count)\(s.measures(of: r)!.values)" }
        }
        #expect(flat(a) == flat(b))
    }

    @Test("apostrophes fold: it’s, it‘s, itʼs and it's are one term; the option keeps them apart")
    func apostrophes() throws {
        let text = ["It’s here. it's there. itʼs. it‘s"]
        let s = try run(AnalysisPlan(), text)
        #expect(termTable(s)["it's"] == 4)
        var plan = AnalysisPlan()
        plan.tokenizer.foldApostrophes = false
        let raw = try run(plan, text)
        #expect(termTable(raw)["it's"] == 1)
        #expect(termTable(raw)["it’s"] == 1)
    }

    @Test("n-grams cross a hard line wrap, not a blank line; plain sentence breaks restore ICU's rules")
    func hardWraps() throws {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        let text = ["the stock\nmarket fell\n\nhard times"]
        #expect(ngramTable(try run(plan, text)) == ["the stock": 1, "stock market": 1, "market fell": 1, "hard times": 1])
        plan.tokenizer.sentenceBreaks = .plain
        #expect(ngramTable(try run(plan, text)) == ["the stock": 1, "market fell": 1, "hard times": 1])
    }
}
