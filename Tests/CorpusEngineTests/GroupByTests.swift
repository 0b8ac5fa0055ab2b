import CorpusCore
import CorpusEngine
import Testing

/// `--group-by` (issue 17): a group's view equals a run over that group's documents alone.
@Suite("Group views")
struct GroupByTests {
    static let jan: Int64 = 536_457_600  // 1987-01-01

    static let texts = ["oil price rose", "bank rate cut", "oil bank", "wheat crop", "oil oil wheat", "rate"]
    static let desks: [[String]] = [["energy"], ["money"], ["energy", "money"], [], ["energy"], ["money"]]

    func documents(_ keep: (Int) -> Bool = { _ in true }) -> [Document] {
        Self.texts.indices.filter(keep).map { i in
            Document(id: "d\(i)", source: "t:\(i)", date: Self.jan + Int64(i) * 20 * 86_400, body: Array(Self.texts[i].utf8),
                     fields: Self.desks[i].isEmpty ? [:] : ["desk": Self.desks[i]])
        }
    }

    func run(_ docs: [Document], grouped: Bool, jobs: Int) throws -> CorpusStats {
        var plan = AnalysisPlan()
        plan.periods = .month
        if grouped { plan.groupBy = "desk" }
        return try Engine.run(plan: plan, jobs: jobs, source: .batches(ArrayDocumentSource(docs), batchSize: 1))
    }

    func termCounts(_ s: CorpusStats) -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for r in s.termRows() { out[s.vocabulary.string(r.term)] = r.count }
        return out
    }

    @Test("groups sorted by name; documents without the field in the group \"\"", arguments: [1, 3])
    func names(jobs: Int) throws {
        let s = try run(documents(), grouped: true, jobs: jobs)
        #expect(s.groupNames == ["", "energy", "money"])
    }

    @Test("a group's view equals a run over its documents", arguments: ["", "energy", "money"])
    func viewEqualsSubset(group: String) throws {
        let grouped = try run(documents(), grouped: true, jobs: 2)
        let view = grouped.groupView(group)
        let alone = try run(documents { i in group.isEmpty ? Self.desks[i].isEmpty : Self.desks[i].contains(group) }, grouped: false, jobs: 1)
        #expect(termCounts(view) == termCounts(alone))
        #expect(view.totalTokens == alone.totalTokens)
        #expect(view.documents == alone.documents)
        #expect(view.periodRange == alone.periodRange)
        for p in alone.periodRange! {
            #expect(view.periodTokens(p) == alone.periodTokens(p))
            #expect(view.periodDocs(p) == alone.periodDocs(p))
        }
        let sparseView = view.sparseTrendRows(minCount: 1, stopwords: [], smooth: nil).map { "\($0.period) \($0.label) \($0.count)" }
        let sparseAlone = alone.sparseTrendRows(minCount: 1, stopwords: [], smooth: nil).map { "\($0.period) \($0.label) \($0.count)" }
        #expect(sparseView == sparseAlone)
    }

    @Test("keyness against the rest: the run's counts minus the target's")
    func restComparison() throws {
        let s = try run(documents(), grouped: true, jobs: 2)
        let c = s.groupComparison(target: s.groupView("energy"), reference: nil)
        let oil = try #require(s.termID("oil")), bank = try #require(s.termID("bank")), rate = try #require(s.termID("rate"))
        // energy: "oil price rose", "oil bank", "oil oil wheat" → 8 tokens; the rest: the other three documents.
        #expect(c.targetTokens == 8)
        #expect(c.referenceTokens == 3 + 2 + 1)
        #expect(c.target[oil] == 4)
        #expect(c.reference[oil] == nil)
        #expect(c.target[bank] == 1 && c.reference[bank] == 1)
        #expect(c.reference[rate] == 2)
    }
}
