import CorpusCore
import CorpusEngine
import CorpusICU
import Testing

/// Token filters (issue 17): which terms `TermFilter` leaves out, and that the engine keeps positions.
@Suite("Token filters")
struct TermFilterTests {
    /// One filter setting.
    enum Setting: Sendable, CustomStringConvertible {
        case minLength(Int)
        case dropNumbers
        case drop([String])
        case keep([String])
        case dropAndKeep(drop: [String], keep: [String])
        case stopwords([String])

        var filter: TermFilter {
            get throws {
                var f = TermFilter()
                switch self {
                case .minLength(let n): f.minLength = n
                case .dropNumbers: f.dropNumbers = true
                case .drop(let p): try f.setPatterns(drop: p, keep: [])
                case .keep(let p): try f.setPatterns(drop: [], keep: p)
                case .dropAndKeep(let d, let k): try f.setPatterns(drop: d, keep: k)
                case .stopwords(let w): f.stopwords = Set(w.map { Array($0.utf8) })
                }
                return f
            }
        }

        var description: String {
            switch self {
            case .minLength(let n): "--min-length \(n)"
            case .dropNumbers: "--drop-numbers"
            case .drop(let p): p.map { "--drop \($0)" }.joined(separator: " ")
            case .keep(let p): p.map { "--keep \($0)" }.joined(separator: " ")
            case .dropAndKeep(let d, let k): (d.map { "--drop \($0)" } + k.map { "--keep \($0)" }).joined(separator: " ")
            case .stopwords(let w): "stopwords \(w)"
            }
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let term: String
        let setting: Setting
        let excluded: Bool
        var testDescription: String { "\(term.unicodeScalars.map { $0.isASCII ? String($0) : "U+\(String($0.value, radix: 16, uppercase: true))" }.joined(separator: " ")) with \(setting) → \(excluded ? "out" : "kept")" }
    }

    static let cases: [Case] = [
        // --min-length counts user-perceived characters (extended grapheme clusters), not code points.
        Case(term: "a", setting: .minLength(2), excluded: true),
        Case(term: "ab", setting: .minLength(2), excluded: false),
        Case(term: "ที่", setting: .minLength(2), excluded: true),  // Thai: 3 code points, 1 character
        Case(term: "ไทย", setting: .minLength(3), excluded: false),  // 3 code points, 3 characters
        Case(term: "中", setting: .minLength(2), excluded: true),
        Case(term: "中国", setting: .minLength(2), excluded: false),
        Case(term: "مرحبا", setting: .minLength(5), excluded: false),  // Arabic: 5 letters
        Case(term: "مرحبا", setting: .minLength(6), excluded: true),
        Case(term: "e\u{301}", setting: .minLength(2), excluded: true),  // NFD é: 2 code points, 1 character
        Case(term: "\u{1100}\u{1161}", setting: .minLength(2), excluded: true),  // Hangul jamo 가: 1 character
        Case(term: "👍🏽", setting: .minLength(2), excluded: true),  // emoji + skin tone: 1 character
        // --drop-numbers: the term alone is one word segment of rule status 100–199.
        Case(term: "1987", setting: .dropNumbers, excluded: true),
        Case(term: "1,000", setting: .dropNumbers, excluded: true),
        Case(term: "3.5", setting: .dropNumbers, excluded: true),
        Case(term: "１２", setting: .dropNumbers, excluded: true),  // full-width digits (as under --normalize none)
        Case(term: "12", setting: .dropNumbers, excluded: true),  // １２ after NFKC
        Case(term: "٣٤", setting: .dropNumbers, excluded: true),  // Arabic-Indic digits
        // Letters and digits: ICU gives the status of the segment's last part (its rules' tags).
        Case(term: "3a", setting: .dropNumbers, excluded: false),
        Case(term: "12th", setting: .dropNumbers, excluded: false),
        Case(term: "g7", setting: .dropNumbers, excluded: true),
        Case(term: "oil", setting: .dropNumbers, excluded: false),
        Case(term: "中国", setting: .dropNumbers, excluded: false),
        // --drop / --keep: ICU regular expressions matched against the whole term.
        Case(term: "中国", setting: .drop(["\\p{Han}+"]), excluded: true),
        Case(term: "中国x", setting: .drop(["\\p{Han}+"]), excluded: false),  // whole-term match, not a search
        Case(term: "abc", setting: .drop(["\\p{Han}+"]), excluded: false),
        Case(term: "abc", setting: .drop(["a"]), excluded: false),
        Case(term: "ไทย", setting: .keep(["\\p{Thai}+"]), excluded: false),
        Case(term: "abc", setting: .keep(["\\p{Thai}+"]), excluded: true),
        Case(term: "مرحبا", setting: .drop(["\\p{Arabic}+"]), excluded: true),
        Case(term: "12", setting: .drop(["\\d+"]), excluded: true),
        Case(term: "bob", setting: .keep(["a.*", "b.*"]), excluded: false),  // repeated --keep: any of them
        Case(term: "cat", setting: .keep(["a.*", "b.*"]), excluded: true),
        Case(term: "ant", setting: .drop(["x", "an."]), excluded: true),  // repeated --drop: any of them
        Case(term: "the", setting: .dropAndKeep(drop: ["the"], keep: ["\\p{L}+"]), excluded: true),  // drop wins
        Case(term: "cat", setting: .dropAndKeep(drop: ["the"], keep: ["\\p{L}+"]), excluded: false),
        Case(term: "12", setting: .dropAndKeep(drop: ["the"], keep: ["\\p{L}+"]), excluded: true),
        Case(term: "Oil", setting: .drop(["oil"]), excluded: false),  // case-sensitive (terms are casefolded by default)
        Case(term: "Oil", setting: .drop(["(?i)oil"]), excluded: true),
        Case(term: "the", setting: .stopwords(["the"]), excluded: true),
        Case(term: "then", setting: .stopwords(["the"]), excluded: false),
    ]

    @Test("which terms each filter leaves out", arguments: cases)
    func excludes(_ c: Case) throws {
        let f = try c.setting.filter
        #expect(f.contains(Array(c.term.utf8)) == c.excluded)
        // A worker's evaluator answers the same, and so does a second call (the cache).
        let e = try f.makeEvaluator()
        #expect(Array(c.term.utf8).withUnsafeBufferPointer { e.excludes($0) } == c.excluded)
        #expect(f.contains(Array(c.term.utf8)) == c.excluded)
    }

    @Test("an invalid pattern throws ICU's error name and offset")
    func badPattern() throws {
        var f = TermFilter()
        do {
            try f.setPatterns(drop: ["[a-"], keep: [])
            Issue.record("no error")
        } catch {
            #expect(error.name.hasPrefix("U_REGEX_"))
            #expect(error.description.contains("[a-"))
        }
        #expect(f.dropPatterns.isEmpty)
    }

    @Test("ICURegex copies match independently of the original")
    func regexCopy() throws {
        let r = try ICURegex("\\p{Han}{2}")
        let c = try r.copy()
        #expect(r.matches("中国") && c.matches("日本"))
        #expect(!r.matches("中") && !c.matches("中国人"))
    }

    @Test("a changed copy never answers from the original's cache")
    func copies() throws {
        var f = TermFilter()
        f.minLength = 2
        #expect(!f.contains(Array("ab".utf8)))
        var g = f
        g.minLength = 3
        #expect(g.contains(Array("ab".utf8)))
        #expect(!f.contains(Array("ab".utf8)))
        try g.setPatterns(drop: [], keep: ["x+"])
        #expect(g.contains(Array("abc".utf8)) && !g.contains(Array("xxx".utf8)))
    }

    @Test("an empty filter leaves nothing out; any setting makes it non-empty")
    func emptiness() throws {
        #expect(TermFilter().isEmpty)
        var f = TermFilter()
        f.minLength = 2
        #expect(!f.isEmpty)
        #expect(!TermFilter(stopwords: [Array("a".utf8)]).isEmpty)
    }

    @Test("filtered tokens keep their positions: no n-gram or pair across a removed one", arguments: [1, 2])
    func positions(jobs: Int) throws {
        var plan = AnalysisPlan()
        plan.ngramN = 2
        plan.cooc = .window(1)
        plan.filter.dropNumbers = true
        plan.filter.minLength = 2
        // Without positions kept, "oil 1987 price" would give the bigram "oil price" and "x" would join "a b".
        let s = try run(plan, ["oil 1987 price rose", "crude x oil price"], jobs: jobs)
        #expect(ngramTable(s) == ["price rose": 1, "oil price": 1])
        #expect(pairTable(s) == ["price|rose": 1, "oil|price": 1])
        // Unigram counts keep every token (the rows leave the filtered ones out, totals count them).
        #expect(s.totalTokens == 8)
        #expect(Set(s.termRows(excluding: plan.filter).map { s.vocabulary.string($0.term) }) == ["oil", "price", "rose", "crude"])
    }

    @Test("--max-docs-ratio: terms in more than R of the documents")
    func docsRatio() throws {
        let s = try run(AnalysisPlan(), ["oil price", "oil rose", "oil fell", "gas price"])
        var f = TermFilter()
        f.maxDocsRatio = 0.5
        f.addTermsOverRatio(from: s)
        #expect(f.overRatio == [Array("oil".utf8)])  // 3 of 4 > 0.5; price: 2 of 4 is not more than 0.5
        f = TermFilter()
        f.maxDocsRatio = 0.25
        f.addTermsOverRatio(from: s)
        #expect(f.overRatio == [Array("oil".utf8), Array("price".utf8)])
    }
}
