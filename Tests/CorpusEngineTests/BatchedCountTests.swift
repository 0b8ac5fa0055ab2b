import CorpusCore
@testable import CorpusEngine
import Testing

/// N-gram and window pairs are added to their tables in prefetching batches of at most `PendingKeys.limit`
/// keys per document: documents far longer than a batch, and many short ones, must count exactly what a
/// naive count of the same text gives (counts and documents).
@Suite("Batched table adds")
struct BatchedCountTests {
    /// Words w0…w(k-1) in a fixed pseudo-random order, sentences of 7 words.
    static func text(words: Int, vocabulary k: Int, seed: UInt64) -> [String] {
        var x = seed
        var out: [String] = []
        for _ in 0..<words {
            x = x &* 6364136223846793005 &+ 1442695040888963407
            out.append("w\(Int(x >> 33) % k)")
        }
        return out
    }

    /// Sentences of 7 words, each starting with a capital (ICU does not end a sentence at ". w").
    static func sentences(_ words: [String]) -> String {
        stride(from: 0, to: words.count, by: 7).map { start in
            let s = words[start..<min(start + 7, words.count)]
            return (["W" + s.first!.dropFirst()] + s.dropFirst()).joined(separator: " ") + "."
        }.joined(separator: " ")
    }

    @Test("bigrams and window-5 pairs of a 30,000-word document and 50 short ones equal a naive count",
          arguments: [1, 2])
    func longAndShort(jobs: Int) throws {
        var docsWords = [Self.text(words: 30_000, vocabulary: 300, seed: 7)]
        for s in 0..<50 { docsWords.append(Self.text(words: 40, vocabulary: 300, seed: UInt64(100 + s))) }
        #expect(docsWords[0].count - 1 > PendingKeys.limit * 4, "the long document spans several batches")
        let texts = docsWords.map(Self.sentences)
        // Naive counts: per sentence (7 words), adjacent pairs and pairs within 5 positions.
        var bigrams: [String: UInt64] = [:], bigramDocs: [String: Set<Int>] = [:]
        var pairs: [String: UInt64] = [:], pairDocs: [String: Set<Int>] = [:]
        for (d, words) in docsWords.enumerated() {
            for start in stride(from: 0, to: words.count, by: 7) {
                let s = Array(words[start..<min(start + 7, words.count)])
                for i in 0..<s.count {
                    if i + 1 < s.count {
                        let k = s[i] + " " + s[i + 1]
                        bigrams[k, default: 0] += 1
                        bigramDocs[k, default: []].insert(d)
                    }
                    for j in (i + 1)..<min(s.count, i + 6) where s[i] != s[j] {
                        let k = s[i] < s[j] ? s[i] + "|" + s[j] : s[j] + "|" + s[i]
                        pairs[k, default: 0] += 1
                        pairDocs[k, default: []].insert(d)
                    }
                }
            }
        }
        var plan = AnalysisPlan()
        plan.ngramN = 2
        let ng = try run(plan, texts, jobs: jobs)
        #expect(ngramTable(ng) == bigrams)
        for r in ng.ngramRows() {
            let k = ng.terms(of: r).map { ng.vocabulary.string($0) }.joined(separator: " ")
            #expect(Int(r.docs) == bigramDocs[k]?.count, "\(k)")
        }
        var cplan = AnalysisPlan()
        cplan.cooc = .window(5)
        let co = try run(cplan, texts, jobs: jobs)
        #expect(pairTable(co) == pairs)
        for r in co.coocRows() {
            let k = co.terms(of: r).map { co.vocabulary.string($0) }.joined(separator: "|")
            #expect(Int(r.docs) == pairDocs[k]?.count, "\(k)")
        }
    }
}
