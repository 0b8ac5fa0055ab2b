import CorpusCore
import CorpusICU

/// How concordance lines are ordered (AntConc's sort levels): by position, or by the normalized word at
/// L1/L2 (immediately left of the match, the one before it), R1/R2, or the match; ties by position.
public enum ConcordanceSort: String, Sendable, CaseIterable {
    case position, left1, left2, right1, right2, match
}

/// One element of a query, matched against one normalized term.
public enum ConcordanceElement: Sendable, Equatable {
    /// A normalized term, equal bytes.
    case term(String)
    /// A glob on normalized terms: `*` any run of characters, `?` one character (Unicode scalar).
    case glob(String)
    /// A regular expression matched against the whole normalized term (Unicode scalar semantics).
    case regex(String)
}

/// Why a query cannot run (a usage error).
public struct ConcordanceQueryError: Error, CustomStringConvertible {
    public var description: String
}

/// A concordance request and, after the run, its merged hits (use one per run). The query is fixed when made; each worker's
/// `ConcordanceCollector` keeps at most `keep` hits (the first by the selection order) and merges them
/// here; `result()` gives the final ones, the same for any worker count.
public final class ConcordanceQuery: Sendable {
    /// Consecutive tokens of one sentence match the elements in order (one element: any token).
    public let elements: [ConcordanceElement]
    /// Tokens of context on each side.
    public let context: Int
    public let sort: ConcordanceSort
    /// Hits kept (the first `limit` by `sort`); nil = all.
    public let limit: Int?
    /// A reproducible random sample: the `count` hits with the smallest hash(seed, document, start).
    public let sample: (count: Int, seed: UInt64)?
    private let collected = Locked<Collected>(Collected())

    struct Collected: Sendable {
        var hits: [ConcordanceHit] = []
        var total = 0
    }

    public init(elements: [ConcordanceElement], context: Int = 5, sort: ConcordanceSort = .position, limit: Int? = nil,
                sample: (count: Int, seed: UInt64)? = nil) {
        self.elements = elements
        self.context = max(0, context)
        self.sort = sort
        self.limit = limit
        self.sample = sample
    }

    /// Hits a worker keeps (and the run returns): the sample size, else the limit, else all.
    var keep: Int { sample?.count ?? limit ?? Int.max }

    /// Parses a query: with `regex`, the whole text is one regular expression on normalized terms; else it is
    /// split at whitespace, each word with `*` or `?` a glob (normalized like tokens), every other word
    /// tokenized and normalized like the text (`Iran` → `iran`; a word may give several tokens).
    public static func parse(_ query: String, regex: Bool, tokenizer options: TokenizerOptions) throws -> [ConcordanceElement] {
        if regex {
            guard !query.isEmpty else { throw ConcordanceQueryError(description: "empty query: give a regular expression") }
            do { _ = try Regex(query) } catch {
                throw ConcordanceQueryError(description: "bad regular expression '\(query)': \(error)")
            }
            return [.regex(query)]
        }
        let tokenizer = try Tokenizer(options: options)
        let normalizer = try options.makeNormalizer()
        var out: [ConcordanceElement] = []
        for word in query.split(whereSeparator: { $0.isWhitespace }) {
            if word.contains("*") || word.contains("?") {
                let g = normalizer.normalize(String(word))
                if !g.isEmpty { out.append(.glob(g)) }
            } else {
                out += tokenizer.tokens(of: String(word)).map { .term($0) }
            }
        }
        guard !out.isEmpty else {
            throw ConcordanceQueryError(description: query.isEmpty ? "empty query: give a term, a phrase or a glob"
                                        : "the query '\(query)' has no token (only spaces or punctuation): give a term, a phrase or a glob")
        }
        return out
    }

    func add(_ hits: [ConcordanceHit], total: Int) {
        collected.withLock {
            $0.hits += hits
            $0.total += total
        }
    }

    /// The hits kept, in `sort` order, and the number of hits found (all of them).
    public func result() -> (hits: [ConcordanceHit], total: Int) {
        let c = collected.withLock { $0 }
        var hits = c.hits
        let select = ConcordanceCollector.selectionOrder(self)
        hits.sort(by: select)
        if hits.count > keep { hits.removeLast(hits.count - keep) }
        if sample != nil { hits.sort(by: ConcordanceCollector.sortOrder(sort)) }
        return (hits, c.total)
    }
}

/// One concordance line.
public struct ConcordanceHit: Sendable {
    /// The document's position in input order, its id, source (file:line) and date (seconds; nil: undated).
    public var ordinal: Int
    public var id: String
    public var source: String
    public var date: Int64?
    /// UTF-8 byte offsets of the match in the document's analyzed text.
    public var start: Int
    public var end: Int
    /// Original text, whitespace runs collapsed to one space, trimmed.
    public var left: String
    public var match: String
    public var right: String
    /// Sort key: the normalized word(s) the sort looks at; the sample's hash.
    var key: [UInt8]
    var hash: UInt64
}

/// Collects one worker's concordance hits: all counted, at most `keep` kept in a heap whose top is the
/// worst kept by the selection order (so memory is bounded by the limit, whatever the hit count).
final class ConcordanceCollector: WorkerAnalyzer {
    let query: ConcordanceQuery
    let vocab: Vocabulary
    let keep: Int
    let before: (ConcordanceHit, ConcordanceHit) -> Bool
    /// Per element: the local term id (a term), else nil (a pattern).
    private var ids: [TermID?] = []
    /// Per pattern element: 0 = not yet tested, 1 = matches, 2 = does not, by local term id.
    private var states: [[UInt8]] = []
    private var globs: [[Unicode.Scalar]?] = []
    private var regexes: [Regex<AnyRegexOutput>?] = []
    private var heap: [ConcordanceHit] = []
    private var total = 0

    init(query: ConcordanceQuery, _ c: WorkerContext) {
        self.query = query
        vocab = c.vocab
        keep = query.keep
        before = ConcordanceCollector.selectionOrder(query)
        c.tokens.recordsOffsets = c.plan.needsOffsets
        for e in query.elements {
            switch e {
            case .term(let t):
                ids.append(c.vocab.intern(t))
                globs.append(nil)
                regexes.append(nil)
            case .glob(let g):
                ids.append(nil)
                globs.append(Array(g.unicodeScalars))
                regexes.append(nil)
            case .regex(let r):
                ids.append(nil)
                globs.append(nil)
                regexes.append((try? Regex(r))?.matchingSemantics(.unicodeScalar))
            }
            states.append([])
        }
    }

    func grow(to n: Int) {
        for e in states.indices where ids[e] == nil && states[e].count < n {
            states[e].append(contentsOf: repeatElement(0, count: n - states[e].count))
        }
    }

    @inline(__always)
    private func matches(_ e: Int, _ t: TermID) -> Bool {
        if let id = ids[e] { return id == t }
        let s = states[e][Int(t)]
        if s != 0 { return s == 1 }
        let term = String(decoding: vocab.bytes(t), as: UTF8.self)
        let yes: Bool
        if let g = globs[e] {
            yes = ConcordanceCollector.glob(g, Array(term.unicodeScalars))
        } else if let r = regexes[e] {
            yes = (try? r.wholeMatch(in: term)) != nil
        } else {
            yes = false
        }
        states[e][Int(t)] = yes ? 1 : 2
        return yes
    }

    /// Whether `s` matches the glob `p` (`*` any run, `?` one scalar), whole.
    static func glob(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var i = 0, j = 0, star = -1, mark = 0
        while j < s.count {
            if i < p.count && (p[i] == "?" || p[i] == s[j]) {
                i += 1; j += 1
            } else if i < p.count && p[i] == "*" {
                star = i; mark = j; i += 1
            } else if star >= 0 {
                i = star + 1; mark += 1; j = mark
            } else {
                return false
            }
        }
        while i < p.count && p[i] == "*" { i += 1 }
        return i == p.count
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        let m = query.elements.count
        guard terms.count >= m else { return }
        var found: [Int] = []
        if m == 1 {
            if let id = ids[0] {
                for i in 0..<terms.count where terms[i] == id { found.append(i) }
            } else {
                for i in 0..<terms.count where matches(0, terms[i]) { found.append(i) }
            }
        } else {
            c.tokens.forEachSentence { range in
                guard range.count >= m else { return }
                for a in range.lowerBound...(range.upperBound - m) {
                    var ok = true
                    for k in 0..<m where !matches(k, terms[a + k]) { ok = false; break }
                    if ok { found.append(a) }
                }
            }
        }
        guard !found.isEmpty else { return }
        total += found.count
        var text: [UInt8]? = nil
        for i in found {
            var candidate = ConcordanceHit(ordinal: doc.ordinal, id: "", source: "", date: nil,
                                           start: c.tokens.starts[i], end: c.tokens.ends[i + m - 1],
                                           left: "", match: "", right: "", key: [], hash: 0)
            if let s = query.sample { candidate.hash = ConcordanceCollector.sampleHash(seed: s.seed, ordinal: doc.ordinal, start: candidate.start) }
            candidate.key = sortKey(terms, i, m)
            if heap.count >= keep && (keep == 0 || !before(candidate, heap[0])) { continue }
            if text == nil { text = (doc.title ?? "").isEmpty ? doc.body : doc.analyzedText }
            candidate.id = doc.id
            candidate.source = doc.source
            candidate.date = doc.date
            text!.withUnsafeBufferPointer { t in
                let n = query.context
                let starts = c.tokens.starts, ends = c.tokens.ends
                let j = i + m
                let leftFrom = n == 0 ? candidate.start : (i - n <= 0 ? 0 : starts[i - n])
                let rightTo = n == 0 ? candidate.end : (j + n >= terms.count ? t.count : ends[j + n - 1])
                candidate.left = ConcordanceCollector.collapsed(t, leftFrom, candidate.start)
                candidate.match = ConcordanceCollector.collapsed(t, candidate.start, candidate.end)
                candidate.right = ConcordanceCollector.collapsed(t, candidate.end, rightTo)
            }
            push(candidate)
        }
    }

    /// The normalized word(s) `sort` looks at for the match at tokens `i..<i+m` (empty when there is none).
    private func sortKey(_ terms: [TermID], _ i: Int, _ m: Int) -> [UInt8] {
        let at: Int
        switch query.sort {
        case .position: return []
        case .left1: at = i - 1
        case .left2: at = i - 2
        case .right1: at = i + m
        case .right2: at = i + m + 1
        case .match:
            var key: [UInt8] = []
            for k in 0..<m {
                if k > 0 { key.append(32) }
                key.append(contentsOf: vocab.bytes(terms[i + k]))
            }
            return key
        }
        guard at >= 0 && at < terms.count else { return [] }
        return Array(vocab.bytes(terms[at]))
    }

    private func push(_ h: ConcordanceHit) {
        if keep == Int.max {
            heap.append(h)
            return
        }
        if heap.count < keep {
            heap.append(h)
            var k = heap.count - 1
            while k > 0 {
                let p = (k - 1) / 2
                guard before(heap[p], heap[k]) else { break }
                heap.swapAt(p, k)
                k = p
            }
        } else {
            heap[0] = h
            var k = 0
            while true {
                let l = 2 * k + 1, r = l + 1
                var worst = k
                if l < heap.count && before(heap[worst], heap[l]) { worst = l }
                if r < heap.count && before(heap[worst], heap[r]) { worst = r }
                if worst == k { break }
                heap.swapAt(worst, k)
                k = worst
            }
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        query.add(heap, total: total)
        heap = []
        total = 0
    }

    /// The bytes `[from, to)` of `t` as a string, whitespace runs collapsed to one space, trimmed.
    static func collapsed(_ t: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(max(0, to - from))
        var space = false
        var k = from
        while k < to {
            let b = t[k]
            if b == 32 || (b >= 9 && b <= 13) {
                space = true
            } else {
                if space && !out.isEmpty { out.append(32) }
                space = false
                out.append(b)
            }
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func sampleHash(seed: UInt64, ordinal: Int, start: Int) -> UInt64 {
        Hash.mix(Hash.mix(seed ^ 0x6B77_6963) ^ Hash.mix(UInt64(truncatingIfNeeded: ordinal)) &+ UInt64(truncatingIfNeeded: start))
    }

    /// Output order: position (document order, then start), or the sort key's bytes, ties by position.
    static func sortOrder(_ sort: ConcordanceSort) -> (ConcordanceHit, ConcordanceHit) -> Bool {
        if sort == .position {
            return { a, b in a.ordinal != b.ordinal ? a.ordinal < b.ordinal : a.start < b.start }
        }
        return { a, b in
            if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
            return a.ordinal != b.ordinal ? a.ordinal < b.ordinal : a.start < b.start
        }
    }

    /// Which hits are kept: the smallest sample hashes (ties by position), else the first by the output order.
    static func selectionOrder(_ q: ConcordanceQuery) -> (ConcordanceHit, ConcordanceHit) -> Bool {
        if q.sample != nil {
            return { a, b in
                if a.hash != b.hash { return a.hash < b.hash }
                return a.ordinal != b.ordinal ? a.ordinal < b.ordinal : a.start < b.start
            }
        }
        return sortOrder(q.sort)
    }
}
