import CorpusCore
import CorpusEngine
import Testing

/// Issue 13: partial tables keyed by strings merge exactly — associative and commutative on random
/// splits, and equal to one pass over all the documents (doubles bit for bit).
@Suite("Partials: string-keyed merge")
struct PartialMergeTests {
    /// analyze's plan: terms, bigrams, window pairs, months, documents.
    static var plan: AnalysisPlan {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        plan.cooc = .window(3)
        plan.periods = .month
        plan.perDocument = true
        return plan
    }

    /// A deterministic pseudo-random corpus: repeated words make pairs, several months, some undated.
    static func corpus(seed: UInt64, count: Int) -> (texts: [String], dates: [Int64?]) {
        var x = seed
        func next() -> UInt64 { x = x &* 6364136223846793005 &+ 1442695040888963407; return x >> 33 }
        let words = ["oil", "price", "rose", "fell", "Iran", "crude", "market", "stock", "ÉTAT", "état", "東京", "the", "a", "of"]
        var texts: [String] = [], dates: [Int64?] = []
        for _ in 0..<count {
            var sentences: [String] = []
            for _ in 0..<(1 + Int(next() % 4)) {
                sentences.append((0..<(1 + Int(next() % 12))).map { _ in words[Int(next() % UInt64(words.count))] }.joined(separator: " ") + ".")
            }
            texts.append(sentences.joined(separator: " "))
            dates.append(next() % 7 == 0 ? nil : 536_457_600 + Int64(next() % 300) * 86_400)
        }
        return (texts, dates)
    }

    /// Every finished table as text (doubles by their bit patterns), in output order.
    static func tables(_ s: CorpusStats) -> [String] {
        var out: [String] = []
        func w(_ id: TermID) -> String { s.vocabulary.string(id) }
        for r in s.termRows() { out.append("T \(w(r.term)) \(r.count) \(r.docs) \(s.perMillion(r.count, of: s.totalTokens).bitPattern)") }
        for r in s.ngramRows() {
            out.append("N \(s.terms(of: r).map(w)) \(r.count) \(r.docs) \(s.measures(of: r)!.values.map(\.bitPattern))")
        }
        for r in s.coocRows() {
            out.append("C \(s.terms(of: r).map(w)) \(r.count) \(r.docs) \(s.measures(of: r)!.values.map(\.bitPattern))")
        }
        for r in s.periodTermRows() { out.append("P \(r.period) \(w(r.term)) \(r.count) \(r.docs)") }
        for p in s.periodTotals.keys.sorted() { out.append("Q \(p) \(s.periodTotals[p]!.tokens) \(s.periodTotals[p]!.docs)") }
        for r in s.records { out.append("D \(r.id) \(r.date ?? -1) \(r.tokens)") }
        out.append("S \(s.documents) \(s.totalTokens) \(s.textBytes) \(s.undated) \(s.orderedPairs) \(s.firstDate ?? -1) \(s.lastDate ?? -1) \(s.typeCount)")
        return out
    }

    /// nil when equal, else the first differing line of each (keeps failure messages short).
    static func difference(_ a: [String], _ b: [String]) -> String? {
        if a == b { return nil }
        for (x, y) in zip(a, b) where x != y { return "\(x)  ≠  \(y)" }
        return "\(a.count) lines vs \(b.count)"
    }

    func runPart(_ texts: ArraySlice<String>, _ dates: ArraySlice<Int64?>, offset: Int) throws -> CorpusStats {
        let docs = zip(texts.indices, zip(texts, dates)).map { i, td in
            Document(id: "d\(i)", source: "t:\(i)", date: td.1, body: Array(td.0.utf8), ordinal: i)
        }
        return try Engine.run(plan: Self.plan, jobs: 2, source: .batches(ArrayDocumentSource(docs), batchSize: 3))
    }

    @Test("merge of any split equals one pass", arguments: [1, 2, 3, 7])
    func splits(_ k: Int) throws {
        let (texts, dates) = Self.corpus(seed: UInt64(k) * 7919, count: 60)
        let whole = try runPart(texts[...], dates[...], offset: 0)
        // Contiguous random cut points (documents keep their order: the documents table is ordered).
        var x = UInt64(k) &* 31
        var cuts = Set<Int>()
        while cuts.count < k - 1 { x = x &* 6364136223846793005 &+ 1; cuts.insert(1 + Int((x >> 33) % 59)) }
        let bounds = [0] + cuts.sorted() + [60]
        let merged = CorpusStats.empty(plan: Self.plan)
        for i in 0..<k {
            let r = bounds[i]..<bounds[i + 1]
            merged.absorb(try runPart(texts[r], dates[r], offset: r.lowerBound))
        }
        #expect(Self.difference(Self.tables(merged), Self.tables(whole)) == nil)
        #expect(Self.tables(whole).count > 100)
    }

    @Test("associative and commutative: (a+b)+c = a+(b+c) = c+b+a, documents aside")
    func algebra() throws {
        let (texts, dates) = Self.corpus(seed: 42, count: 45)
        let a = try runPart(texts[0..<15], dates[0..<15], offset: 0)
        let b = try runPart(texts[15..<30], dates[15..<30], offset: 15)
        let c = try runPart(texts[30..<45], dates[30..<45], offset: 30)
        func sum(_ parts: [CorpusStats]) -> CorpusStats {
            let s = CorpusStats.empty(plan: Self.plan)
            for p in parts { s.absorb(p) }
            return s
        }
        let ab = sum([a, b])
        let left = sum([ab, c])
        let bc = sum([b, c])
        let right = sum([a, bc])
        let reversed = sum([c, b, a])
        let noDocs = { (s: CorpusStats) in Self.tables(s).filter { !$0.hasPrefix("D ") } }
        #expect(Self.difference(Self.tables(left), Self.tables(right)) == nil)
        #expect(Self.difference(noDocs(reversed), noDocs(left)) == nil)
        #expect(Self.tables(left).count > 100)
    }
}
