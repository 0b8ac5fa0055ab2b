import CorpusCore

/// Per-period (or per-group) totals and term counts.
struct GroupedCounts {
    /// key = (group as Int32 bits) << 32 | term id
    var table = CountTable()
    /// group → (tokens, documents)
    var totals: [Int64: (tokens: UInt64, docs: UInt64)] = [:]

    @inline(__always)
    static func key(_ group: Int64, _ term: UInt32) -> UInt64 {
        UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: group))) << 32 | UInt64(term)
    }
    @inline(__always)
    static func split(_ key: UInt64) -> (Int64, UInt32) {
        (Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32))), UInt32(truncatingIfNeeded: key))
    }

    mutating func add(group: Int64, terms: [TermID], stamp: UInt32) {
        var t = totals[group] ?? (0, 0)
        t.tokens += UInt64(terms.count)
        t.docs += 1
        totals[group] = t
        for id in terms { table.add(GroupedCounts.key(group, id), doc: stamp) }
    }
}

/// The margins of the ordered-pair sample of a window w (docs "Association measures", window table):
/// per term, the number of ordered (node, neighbour) position pairs of one sentence at distance 1...w
/// whose node is that term; and the number of all such ordered pairs.
struct WindowMargins {
    let window: Int
    var margin: [UInt64] = []
    var total: UInt64 = 0

    init(window: Int) { self.window = window }

    /// Neighbours within the window of a span [a, b) in the sentence `range`.
    @inline(__always)
    func neighbours(_ a: Int, _ b: Int, in range: Range<Int>) -> Int {
        min(a - range.lowerBound, window) + min(range.upperBound - b, window)
    }

    @inline(__always)
    mutating func add(_ terms: [TermID], _ range: Range<Int>) {
        for i in range {
            let k = neighbours(i, i + 1, in: range)
            margin[Int(terms[i])] &+= UInt64(k)
            total &+= UInt64(k)
        }
    }

    mutating func grow(to n: Int) {
        if margin.count < n { margin.append(contentsOf: repeatElement(0, count: n - margin.count)) }
    }
}

/// The margins of the skip-bigram sample (`ngrams -n 2 --skip K`, K > 0): every ordered position pair
/// (i, j) of one sentence with 1 ≤ j − i ≤ K + 1. Per term, the pairs it starts (`first`) and ends
/// (`second`); and all pairs. Then O ≤ f1 and O ≤ f2, as for the window table.
struct SkipMargins {
    let skip: Int
    var first: [UInt64] = []
    var second: [UInt64] = []
    var total: UInt64 = 0

    init(skip: Int) { self.skip = skip }

    @inline(__always)
    mutating func add(_ terms: [TermID], _ range: Range<Int>) {
        for i in range {
            let after = min(skip + 1, range.upperBound - 1 - i), before = min(skip + 1, i - range.lowerBound)
            first[Int(terms[i])] &+= UInt64(after)
            second[Int(terms[i])] &+= UInt64(before)
            total &+= UInt64(after)
        }
    }

    mutating func grow(to n: Int) {
        if first.count < n {
            first.append(contentsOf: repeatElement(0, count: n - first.count))
            second.append(contentsOf: repeatElement(0, count: n - second.count))
        }
    }
}

/// One worker's partial tables. Everything here is additive and merged after the pass.
final class WorkerState {
    let plan: AnalysisPlan
    let tokenizer: Tokenizer
    var vocab: Vocabulary { tokenizer.vocabulary }
    var tokens = TokenizedText()
    var stamp: UInt32 = 0

    // Unigrams, by local id.
    var counts: [UInt64] = []
    var docs: [UInt32] = []
    var lastDoc: [UInt32] = []
    var totalTokens: UInt64 = 0
    var documents: UInt64 = 0
    var undated: UInt64 = 0
    var bytes: UInt64 = 0
    var firstDate: Int64? = nil
    var lastDate: Int64? = nil

    // Stopword flags by local id (computed as terms appear).
    var isStop: [Bool] = []
    let hasStopwords: Bool

    // N-grams: n = 2 keyed by pair; n > 2 chained through interners.
    var ngrams = CountTable()
    var chain: [KeyInterner] = []
    var positions: [Int] = []
    /// Skip-bigrams: the margins of their sample (plain bigrams use unigram counts, as NLTK).
    var skipMargins: SkipMargins? = nil

    // Co-occurrence.
    var cooc = CountTable()
    /// Window scope: the ordered-pair margins (f1, f2, N of the window measures).
    var coocMargins: WindowMargins? = nil
    var sentenceFreq: [UInt64] = []
    var sentenceCount: UInt64 = 0
    var distinct: [TermID] = []
    var seenStamp: [UInt32] = []
    var seenCounter: UInt32 = 0

    // Collocates.
    var nodeIDs: [TermID]? = nil
    var collocAll = CountTable()
    var collocLeft = CountTable()
    var nodeCount: UInt64 = 0
    var nodeDocs: UInt64 = 0
    /// Neighbours within the window of every node occurrence's span (f1 of the collocate measures).
    var nodeNeighbours: UInt64 = 0
    /// The ordered-pair margins of the collocate window (f2 and N).
    var collocMargins: WindowMargins? = nil

    // Periods and date groups.
    var periods = GroupedCounts()
    var phraseIDs: [[TermID]] = []
    /// key = (period << 32 | phrase index)
    var phraseCounts = CountTable()
    var groups = GroupedCounts()

    var records: [DocumentRecord] = []

    init(plan: AnalysisPlan) throws {
        self.plan = plan
        tokenizer = try Tokenizer(options: plan.tokenizer)
        hasStopwords = !plan.stopwords.isEmpty
        if let node = plan.collocateNode {
            nodeIDs = node.map { vocab.intern($0) }
        }
        phraseIDs = plan.periodPhrases.map { $0.map { vocab.intern($0) } }
        if let n = plan.ngramN, n > 2 { chain = (0..<(n - 2)).map { _ in KeyInterner() } }
        if case .window(let w) = plan.cooc { coocMargins = WindowMargins(window: w) }
        if plan.collocateNode != nil { collocMargins = WindowMargins(window: plan.collocateWindow) }
        if plan.ngramN == 2 && plan.ngramSkip > 0 { skipMargins = SkipMargins(skip: plan.ngramSkip) }
        syncVocabulary()
    }

    /// Grows the per-term arrays to the vocabulary's size.
    @inline(__always)
    func syncVocabulary() {
        let n = vocab.count
        if counts.count < n {
            let extra = n - counts.count
            counts.append(contentsOf: repeatElement(0, count: extra))
            docs.append(contentsOf: repeatElement(0, count: extra))
            lastDoc.append(contentsOf: repeatElement(UInt32.max, count: extra))
            if plan.cooc != nil {
                sentenceFreq.append(contentsOf: repeatElement(0, count: extra))
                seenStamp.append(contentsOf: repeatElement(0, count: extra))
            }
            coocMargins?.grow(to: n)
            collocMargins?.grow(to: n)
            skipMargins?.grow(to: n)
            if hasStopwords {
                for id in isStop.count..<n {
                    isStop.append(plan.stopwords.contains(Array(vocab.bytes(TermID(id)))))
                }
            }
        }
    }

    func process(_ doc: Document) {
        stamp &+= 1
        let s = stamp
        tokenizer.tokenize(doc, sentences: plan.needsSentences, into: &tokens)
        syncVocabulary()
        bytes += UInt64(doc.analyzedByteCount)
        documents += 1
        let terms = tokens.terms
        totalTokens += UInt64(terms.count)
        for id in terms {
            let i = Int(id)
            counts[i] &+= 1
            if lastDoc[i] != s {
                lastDoc[i] = s
                docs[i] &+= 1
            }
        }
        if let d = doc.date {
            if firstDate == nil || d < firstDate! { firstDate = d }
            if lastDate == nil || d > lastDate! { lastDate = d }
        } else {
            undated += 1
        }
        if let n = plan.ngramN { countNgrams(n: n, stamp: s) }
        if let scope = plan.cooc { countCooc(scope, stamp: s) }
        if nodeIDs != nil { countCollocates(stamp: s) }
        if let g = plan.periods, let date = doc.date {
            let p = g.ordinal(ofSeconds: date)
            periods.add(group: p, terms: terms, stamp: s)
            if !phraseIDs.isEmpty { countPhrases(period: p, stamp: s) }
        }
        if !plan.dateRanges.isEmpty, let date = doc.date {
            let day = floorDiv(date, 86_400)
            for (gi, r) in plan.dateRanges.enumerated() where r.contains(day) {
                groups.add(group: Int64(gi), terms: terms, stamp: s)
            }
        }
        if plan.perDocument {
            records.append(DocumentRecord(ordinal: doc.ordinal, id: doc.id, source: doc.source, date: doc.date,
                                          title: doc.title ?? "", tokens: terms.count))
        }
    }

    // MARK: n-grams

    private func countNgrams(n: Int, stamp: UInt32) {
        let terms = tokens.terms
        let skip = plan.ngramSkip
        let stop = hasStopwords
        tokens.forEachSentence { range in
            if skip == 0 {
                guard range.count >= n else { return }
                for i in range.lowerBound...(range.upperBound - n) {
                    if stop {
                        var bad = false
                        for k in 0..<n where isStop[Int(terms[i + k])] { bad = true; break }
                        if bad { continue }
                    }
                    if n == 2 {
                        ngrams.add(UInt64(terms[i]) << 32 | UInt64(terms[i + 1]), doc: stamp)
                    } else {
                        var key = UInt64(terms[i]) << 32 | UInt64(terms[i + 1])
                        for k in 2..<n {
                            let id = chain[k - 2].intern(key)
                            key = UInt64(id) << 32 | UInt64(terms[i + k])
                        }
                        ngrams.add(key, doc: stamp)
                    }
                }
            } else {
                // Skip-grams (quanteda skip = 0:K): each gap between neighbours is 0...K tokens.
                if skipMargins != nil { skipMargins!.add(terms, range) }
                positions.removeAll(keepingCapacity: true)
                for i in range { emitSkipGrams(from: i, range: range, n: n, skip: skip, stamp: stamp) }
            }
        }
    }

    private func emitSkipGrams(from i: Int, range: Range<Int>, n: Int, skip: Int, stamp: UInt32) {
        positions.removeAll(keepingCapacity: true)
        positions.append(i)
        extendSkipGram(range: range, n: n, skip: skip, stamp: stamp)
    }

    private func extendSkipGram(range: Range<Int>, n: Int, skip: Int, stamp: UInt32) {
        let terms = tokens.terms
        if positions.count == n {
            if hasStopwords {
                for p in positions where isStop[Int(terms[p])] { return }
            }
            var key = UInt64(terms[positions[0]]) << 32 | UInt64(terms[positions[1]])
            if n > 2 {
                for k in 2..<n {
                    let id = chain[k - 2].intern(key)
                    key = UInt64(id) << 32 | UInt64(terms[positions[k]])
                }
            }
            ngrams.add(key, doc: stamp)
            return
        }
        let last = positions[positions.count - 1]
        for gap in 0...skip {
            let next = last + 1 + gap
            if next >= range.upperBound { break }
            positions.append(next)
            extendSkipGram(range: range, n: n, skip: skip, stamp: stamp)
            positions.removeLast()
        }
    }

    // MARK: co-occurrence

    private func countCooc(_ scope: CoocScope, stamp: UInt32) {
        let terms = tokens.terms
        let stop = hasStopwords
        switch scope {
        case .window(let w):
            tokens.forEachSentence { range in
                coocMargins!.add(terms, range)
                for i in range {
                    let a = terms[i]
                    if stop && isStop[Int(a)] { continue }
                    let end = min(range.upperBound, i + w + 1)
                    var j = i + 1
                    while j < end {
                        let b = terms[j]
                        j += 1
                        if a == b || (stop && isStop[Int(b)]) { continue }
                        let key = a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
                        cooc.add(key, doc: stamp)
                    }
                }
            }
        case .sentence:
            tokens.forEachSentence { range in
                sentenceCount += 1
                collectDistinct(range)
                for t in distinct { sentenceFreq[Int(t)] += 1 }
                addAllPairs(stamp: stamp)
            }
        case .document:
            sentenceCount += 1
            if terms.isEmpty { return }
            collectDistinct(0..<terms.count)
            addAllPairs(stamp: stamp)
        }
    }

    private func collectDistinct(_ range: Range<Int>) {
        let terms = tokens.terms
        seenCounter &+= 1
        if seenCounter == 0 {  // wrapped: reset stamps
            for i in seenStamp.indices { seenStamp[i] = 0 }
            seenCounter = 1
        }
        distinct.removeAll(keepingCapacity: true)
        for i in range {
            let t = terms[i]
            if seenStamp[Int(t)] != seenCounter {
                seenStamp[Int(t)] = seenCounter
                distinct.append(t)
            }
        }
        distinct.sort()
    }

    private func addAllPairs(stamp: UInt32) {
        let stop = hasStopwords
        let n = distinct.count
        if n < 2 { return }
        for x in 0..<(n - 1) {
            let a = distinct[x]
            if stop && isStop[Int(a)] { continue }
            for y in (x + 1)..<n {
                let b = distinct[y]
                if stop && isStop[Int(b)] { continue }
                cooc.add(UInt64(a) << 32 | UInt64(b), doc: stamp)
            }
        }
    }

    // MARK: collocates

    private func countCollocates(stamp: UInt32) {
        guard let node = nodeIDs, !node.isEmpty else { return }
        let terms = tokens.terms
        let w = plan.collocateWindow
        let single = node.count == 1
        var found = false
        tokens.forEachSentence { range in
            collocMargins!.add(terms, range)
            guard range.count >= node.count else { return }
            for a in range.lowerBound...(range.upperBound - node.count) {
                var match = true
                for k in 0..<node.count where terms[a + k] != node[k] { match = false; break }
                if !match { continue }
                nodeCount += 1
                found = true
                let b = a + node.count
                nodeNeighbours += UInt64(collocMargins!.neighbours(a, b, in: range))
                for j in max(range.lowerBound, a - w)..<a {
                    let t = terms[j]
                    if single && t == node[0] { continue }
                    collocAll.add(UInt64(t), doc: stamp)
                    collocLeft.add(UInt64(t), doc: stamp)
                }
                if b < range.upperBound {
                    for j in b..<min(range.upperBound, b + w) {
                        let t = terms[j]
                        if single && t == node[0] { continue }
                        collocAll.add(UInt64(t), doc: stamp)
                    }
                }
            }
        }
        if found { nodeDocs += 1 }
    }

    // MARK: phrases per period

    private func countPhrases(period: Int64, stamp: UInt32) {
        let terms = tokens.terms
        for (pi, phrase) in phraseIDs.enumerated() where !phrase.isEmpty {
            let key = GroupedCounts.key(period, UInt32(pi))
            if phrase.count == 1 {
                // Single-word terms come from the period table at merge time.
                continue
            }
            tokens.forEachSentence { range in
                guard range.count >= phrase.count else { return }
                for a in range.lowerBound...(range.upperBound - phrase.count) {
                    var match = true
                    for k in 0..<phrase.count where terms[a + k] != phrase[k] { match = false; break }
                    if match { phraseCounts.add(key, doc: stamp) }
                }
            }
        }
    }

    /// The local term sequence of a local n-gram key.
    func ngramTerms(_ key: UInt64, n: Int) -> [TermID] { unchainNgram(key, n: n, chain: chain) }
}

/// The terms of an n-gram key: n = 2 keys are (a << 32 | b); longer ones are (prefix id << 32 | last
/// term), where the prefix id indexes the interner one level down.
func unchainNgram(_ key: UInt64, n: Int, chain: [KeyInterner]) -> [TermID] {
    var out = [TermID](repeating: 0, count: n)
    var k = key
    var pos = n - 1
    while pos >= 2 {
        out[pos] = TermID(truncatingIfNeeded: k)
        k = chain[pos - 2].values[Int(k >> 32)]
        pos -= 1
    }
    out[1] = TermID(truncatingIfNeeded: k)
    out[0] = TermID(truncatingIfNeeded: k >> 32)
    return out
}
