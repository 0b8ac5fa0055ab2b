import CorpusCore
import CorpusEngine
import CorpusICU
import Testing

/// `corpuskit kwic`: the concordance analyzer and the token byte offsets it stands on.
@Suite("Kwic")
struct KwicTests {
    /// Runs a concordance of `query` over `documents` and returns (hits, total).
    func kwic(_ query: String, _ documents: [Document], regex: Bool = false, context: Int = 5, sort: ConcordanceSort = .position,
              limit: Int? = nil, sample: (count: Int, seed: UInt64)? = nil, jobs: Int = 1) throws -> ([ConcordanceHit], Int) {
        var plan = AnalysisPlan()
        let q = ConcordanceQuery(elements: try ConcordanceQuery.parse(query, regex: regex, tokenizer: plan.tokenizer),
                                 context: context, sort: sort, limit: limit, sample: sample)
        plan.concordance = q
        _ = try Engine.run(plan: plan, jobs: jobs, source: .batches(ArrayDocumentSource(documents), batchSize: 1))
        return q.result()
    }

    func kwic(_ query: String, _ texts: [String], regex: Bool = false, context: Int = 5) throws -> ([ConcordanceHit], Int) {
        try kwic(query, docs(texts), regex: regex, context: context)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var query: String
        var regex = false
        var texts: [String]
        /// (document ordinal, match as printed)
        var expected: [(Int, String)]
        var testDescription: String { (regex ? "regex " : "") + query }
    }

    static let cases: [Case] = [
        // a term is normalized like tokens: case folded; iran's is another token
        Case(query: "Iran", texts: ["IRAN said. Iran's oil; iran.", "no hit here"], expected: [(0, "IRAN"), (0, "iran")]),
        // a phrase: consecutive tokens of one sentence, line breaks inside allowed (hard wraps undone)
        Case(query: "stock market", texts: ["The stock market fell. Stock\nmarket up.", "Buy stock. Market closed."],
             expected: [(0, "stock market"), (0, "Stock market")]),
        // a glob: * any run, ? one character, on normalized terms, whole
        Case(query: "encrypt*", texts: ["Encrypt, encrypted and ENCRYPTION; not decrypt."], expected: [(0, "Encrypt"), (0, "encrypted"), (0, "ENCRYPTION")]),
        Case(query: "b?t", texts: ["bat but boat bt BIT"], expected: [(0, "bat"), (0, "but"), (0, "BIT")]),
        // a phrase mixing a term and a glob
        Case(query: "crude oil*", texts: ["Crude oils and crude oil, crude prices."], expected: [(0, "Crude oils"), (0, "crude oil")]),
        // a regular expression on whole normalized terms (unicode scalars; \p{Han})
        Case(query: "oil|crude", regex: true, texts: ["Crude oil, crudely oily."], expected: [(0, "Crude"), (0, "oil")]),
        Case(query: "\\p{Han}+", regex: true, texts: ["北京 and 東京 or Tokyo"], expected: [(0, "北京"), (0, "東京")]),
        // curly apostrophes are folded like tokens: the query in either form finds both
        Case(query: "iran’s", texts: ["Iran’s oil and IRAN'S gas"], expected: [(0, "Iran’s"), (0, "IRAN'S")]),
        Case(query: "iran's", texts: ["Iran’s oil and IRAN'S gas"], expected: [(0, "Iran’s"), (0, "IRAN'S")]),
        // Chinese: found where ICU's dictionary puts the word boundaries
        Case(query: "北京", texts: ["我们在北京工作。", "他在南京。"], expected: [(0, "北京")]),
    ]

    @Test("each query kind finds its hits", arguments: cases)
    func queryKinds(_ c: Case) throws {
        let (hits, total) = try kwic(c.query, c.texts, regex: c.regex)
        #expect(total == c.expected.count)
        #expect(hits.map { "\($0.ordinal):\($0.match)" } == c.expected.map { "\($0.0):\($0.1)" })
        for h in hits {
            // the offsets slice the analyzed text to the match
            let text = Array(c.texts[h.ordinal].utf8)
            #expect(String(decoding: text[h.start..<h.end], as: UTF8.self).split(whereSeparator: \.isWhitespace).joined(separator: " ") == h.match)
        }
    }

    @Test("Chinese: context and byte offsets around a dictionary word")
    func chinese() throws {
        let (hits, _) = try kwic("北京", ["我们在北京工作"])
        #expect(hits.count == 1)
        #expect(hits[0].start == 9 && hits[0].end == 15)
        #expect(hits[0].left == "我们在" && hits[0].right == "工作")
    }

    @Test("a match at the first and the last token; context stops at the document's edges")
    func documentEdges() throws {
        let (hits, total) = try kwic("oil", ["“Oil prices rose,” he said of oil.", "Gas only."], context: 3)
        #expect(total == 2)
        // first token: the left context is the text before it (to the document's first character)
        #expect(hits[0].left == "“" && hits[0].match == "Oil" && hits[0].right == "prices rose,” he")
        // last token: the right context runs to the document's last character
        #expect(hits[1].left == "he said of" && hits[1].match == "oil" && hits[1].right == ".")
        #expect(hits[0].start == 3 && hits[0].end == 6)  // “ is 3 bytes
        // fewer tokens than --context: never crosses into the next document
        let (h2, _) = try kwic("gas", ["Oil.", "Gas only.", "Coal."], context: 5)
        #expect(h2.count == 1 && h2[0].left == "" && h2[0].right == "only.")
        // context 0: the match alone
        let (h3, _) = try kwic("rose", ["Oil prices rose, he said."], context: 0)
        #expect(h3[0].left == "" && h3[0].right == "")
    }

    @Test("context may cross sentences; whitespace runs show as one space")
    func contextAcrossSentences() throws {
        let (hits, _) = try kwic("end", ["One sentence.\n\n  Another  one\tends at the end. Then\r\nmore text here."], context: 3)
        #expect(hits.count == 1)
        #expect(hits[0].left == "ends at the" && hits[0].right == ". Then more text")
        let (h2, _) = try kwic("another", ["One sentence.\n\n  Another  one"], context: 2)
        #expect(h2[0].left == "One sentence.")
    }

    @Test("offsets are in the analyzed text: title, blank line, body")
    func titleOffsets() throws {
        let d = Document(id: "a", source: "t:1", title: "Oil news", body: Array("Crude oil rose.".utf8))
        let (hits, _) = try kwic("oil", [d])
        #expect(hits.map(\.start) == [0, 16])
        #expect(hits[1].left == "Oil news Crude")
        let text = d.analyzedText
        for h in hits { #expect(String(decoding: text[h.start..<h.end], as: UTF8.self).lowercased() == "oil") }
    }

    @Test("token offsets are the same whatever the piece size", arguments: [64, 100, 257, 1000])
    func offsetsAcrossPieces(_ piece: Int) throws {
        let text = (0..<40).map { "Paragraph \($0) has Ünïcode, 東京は晴れ and U.S. words 😀\r\nwrapped line.\n\n" }.joined()
        func offsets(_ pieceBytes: Int) throws -> ([String], [Int], [Int]) {
            let t = try Tokenizer(options: TokenizerOptions())
            t.pieceBytes = pieceBytes
            var out = TokenizedText(recordsOffsets: true)
            var s = text
            s.withUTF8 { t.tokenize($0, sentences: false, into: &out) }
            return (out.terms.map { t.vocabulary.string($0) }, out.starts, out.ends)
        }
        let whole = try offsets(1 << 30)
        let cut = try offsets(piece)
        #expect(cut.0 == whole.0 && cut.1 == whole.1 && cut.2 == whole.2)
        // every token's bytes normalize to its term
        let bytes = Array(text.utf8)
        let n = try TokenNormalizer()
        for k in whole.0.indices {
            #expect(n.normalize(String(decoding: bytes[whole.1[k]..<whole.2[k]], as: UTF8.self)) == whole.0[k])
        }
    }

    @Test("offsets cost nothing when off: starts and ends stay empty")
    func offsetsOff() throws {
        let t = try Tokenizer(options: TokenizerOptions())
        var out = TokenizedText()
        var s = "Oil prices rose."
        s.withUTF8 { t.tokenize($0, sentences: false, into: &out) }
        #expect(out.terms.count == 3 && out.starts.isEmpty && out.ends.isEmpty)
    }

    static let corpus: [Document] = docs((0..<60).map { i in
        "Report \(i): the oil price \(["rose", "fell", "held"][i % 3]) as oil \(["demand", "supply", "stocks", "output"][i % 4]) moved. Oil again."
    })

    @Test("sorting: by the word at left1/left2/right1/right2/match, ties in document order; the same for any --jobs",
          arguments: ConcordanceSort.allCases)
    func sorting(_ sort: ConcordanceSort) throws {
        let (all, total) = try kwic("oil", Self.corpus, sort: sort, jobs: 1)
        #expect(total == 180 && all.count == 180)
        let (three, _) = try kwic("oil", Self.corpus, sort: sort, jobs: 3)
        #expect(three.map { "\($0.ordinal):\($0.start)" } == all.map { "\($0.ordinal):\($0.start)" })
        // a limit keeps the first hits of the full order, whatever the worker count
        for jobs in [1, 3] {
            let (limited, t2) = try kwic("oil", Self.corpus, sort: sort, limit: 7, jobs: jobs)
            #expect(t2 == 180)
            #expect(limited.map { "\($0.ordinal):\($0.start)" } == all.prefix(7).map { "\($0.ordinal):\($0.start)" })
        }
        // the order itself
        let t = try Tokenizer(options: TokenizerOptions())
        func word(_ h: ConcordanceHit) -> String {
            let l = t.tokens(of: h.left), r = t.tokens(of: h.right)
            switch sort {
            case .position: return ""
            case .left1: return l.last ?? ""
            case .left2: return l.count >= 2 ? l[l.count - 2] : ""
            case .right1: return r.first ?? ""
            case .right2: return r.count >= 2 ? r[1] : ""
            case .match: return t.tokens(of: h.match).joined(separator: " ")
            }
        }
        for (a, b) in zip(all, all.dropFirst()) {
            let wa = Array(word(a).utf8), wb = Array(word(b).utf8)
            #expect(!wb.lexicographicallyPrecedes(wa))
            if wa == wb { #expect(a.ordinal < b.ordinal || (a.ordinal == b.ordinal && a.start < b.start)) }
        }
    }

    @Test("a sample is reproducible with its seed, independent of --jobs, and another seed gives another sample")
    func sampling() throws {
        let a = try kwic("oil", Self.corpus, sample: (10, 42), jobs: 1).0.map { "\($0.ordinal):\($0.start)" }
        let b = try kwic("oil", Self.corpus, sample: (10, 42), jobs: 3).0.map { "\($0.ordinal):\($0.start)" }
        let c = try kwic("oil", Self.corpus, sample: (10, 7), jobs: 2).0.map { "\($0.ordinal):\($0.start)" }
        #expect(a.count == 10 && a == b && a != c)
        let all = Set(try kwic("oil", Self.corpus).0.map { "\($0.ordinal):\($0.start)" })
        #expect(Set(a).isSubset(of: all))
        // a sample larger than the hits keeps them all
        #expect(try kwic("oil", Self.corpus, sample: (1000, 1)).0.count == 180)
    }

    @Test("queries that cannot run are refused", arguments: [("", false), ("!!", false), ("  ", false), ("", true), ("[", true), ("(a", true)])
    func badQueries(_ q: String, _ regex: Bool) {
        #expect(throws: ConcordanceQueryError.self) { try ConcordanceQuery.parse(q, regex: regex, tokenizer: TokenizerOptions()) }
    }
}
