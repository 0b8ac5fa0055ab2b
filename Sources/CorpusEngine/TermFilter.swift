import CorpusCore
import CorpusICU

/// Which normalized terms are left out of the rows: stopwords plus the token filters (`--min-length`,
/// `--drop-numbers`, `--drop`, `--keep`, `--max-docs-ratio`). A left-out term keeps its positions: its
/// tokens still count in the totals, and n-grams and pairs holding one are not counted (no false
/// adjacency), exactly as for stopwords (docs/definitions.md, "Token filters").
///
/// Every predicate is a function of the normalized term alone, so the engine decides it once per term
/// (`Evaluator`), and a token costs one array lookup.
public struct TermFilter: Sendable {
    /// Normalized stopwords.
    public var stopwords: Set<[UInt8]> = [] { didSet { shared = Shared() } }
    /// Terms shorter than this many user-perceived characters (extended grapheme clusters) are left out;
    /// 0 = off.
    public var minLength: Int = 0 { didSet { shared = Shared() } }
    /// Terms that the ICU word-break rules, applied to the term alone, make one segment of rule status
    /// 100–199 (a number) are left out.
    public var dropNumbers: Bool = false { didSet { shared = Shared() } }
    /// Terms matched whole by any of these are left out.
    public private(set) var dropPatterns: [String] = []
    /// When not empty, only terms matched whole by at least one of these are kept.
    public private(set) var keepPatterns: [String] = []
    /// Terms found in more than this share of the documents are left out (0 < R ≤ 1); the terms it
    /// removes are found by a first pass and put in `overRatio`.
    public var maxDocsRatio: Double? = nil
    /// The terms over `maxDocsRatio` (filled by the command's first pass).
    public var overRatio: Set<[UInt8]> = [] { didSet { shared = Shared() } }
    /// The word-break locale of `dropNumbers` (the tokenizer's).
    public var locale: String = "" { didSet { shared = Shared() } }

    /// One evaluator behind a lock with a per-term cache, for `contains` (output side, any thread). Every
    /// change of a setting starts a new one, so a copy never answers from another setting's cache.
    private var shared = Shared()

    public init(stopwords: Set<[UInt8]> = []) {
        self.stopwords = stopwords
    }

    /// Sets the patterns, compiling each (a syntax error throws ICU's error name and offset).
    public mutating func setPatterns(drop: [String], keep: [String]) throws(ICURegexError) {
        for p in drop + keep { _ = try ICURegex(p) }
        dropPatterns = drop
        keepPatterns = keep
        shared = Shared()
    }

    /// Adds to `overRatio` every term of `stats` found in more than `maxDocsRatio` × its documents (the
    /// first pass of `--max-docs-ratio`: a terms-only run over the same inputs).
    public mutating func addTermsOverRatio(from stats: CorpusStats) {
        guard let ratio = maxDocsRatio else { return }
        let limit = ratio * Double(stats.documents)
        var over = overRatio
        for i in 0..<min(stats.docs.count, stats.vocabulary.count) where Double(stats.docs[i]) > limit {
            over.insert(Array(stats.vocabulary.bytes(TermID(i))))
        }
        overRatio = over
    }

    /// True when nothing is left out.
    public var isEmpty: Bool { stopwords.isEmpty && overRatio.isEmpty && !hasPredicates }

    /// Whether a token filter other than stopwords and `--max-docs-ratio` is set (the predicates that look
    /// at the term itself).
    public var hasPredicates: Bool { minLength > 0 || dropNumbers || !dropPatterns.isEmpty || !keepPatterns.isEmpty }

    /// Whether `term` (normalized, UTF-8) is left out. Cached per term; safe from any thread.
    public func contains(_ term: [UInt8]) -> Bool {
        if stopwords.contains(term) || overRatio.contains(term) { return true }
        guard hasPredicates else { return false }
        return shared.state.withLock { s in
            if let known = s.cache[term] { return known }
            // The patterns compiled in `setPatterns`: only ICU running out of memory could fail here.
            if s.evaluator == nil { s.evaluator = try? Evaluator(self) }
            let out = s.evaluator.map { e in term.withUnsafeBufferPointer { e.excludes($0) } } ?? false
            s.cache[term] = out
            return out
        }
    }

    /// A matcher for one thread (one per worker): the same answers as `contains`, no lock.
    public func makeEvaluator() throws -> Evaluator { try Evaluator(self) }

    /// The filter's per-thread state: compiled patterns, a character counter, a word segmenter.
    public final class Evaluator {
        let filter: TermFilter
        let drop: [ICURegex]
        let keep: [ICURegex]
        let characters: ICUCharacterCounter?
        let words: ICUWordSegmenter?
        private var segments: [WordSegment] = []

        init(_ f: TermFilter) throws {
            filter = f
            drop = try f.dropPatterns.map { try ICURegex($0) }
            keep = try f.keepPatterns.map { try ICURegex($0) }
            characters = f.minLength > 0 ? try ICUCharacterCounter() : nil
            words = f.dropNumbers ? try ICUWordSegmenter(locale: f.locale) : nil
        }

        /// Whether the term is left out (stopword, over the ratio, or a predicate rejects it).
        public func excludes(_ term: UnsafeBufferPointer<UInt8>) -> Bool {
            let f = filter
            if !f.stopwords.isEmpty || !f.overRatio.isEmpty {
                let bytes = Array(term)
                if f.stopwords.contains(bytes) || f.overRatio.contains(bytes) { return true }
            }
            if let characters, characters.count(term) < f.minLength { return true }
            if let words, isNumber(term, words) { return true }
            if drop.contains(where: { $0.matches(term) }) { return true }
            if !keep.isEmpty && !keep.contains(where: { $0.matches(term) }) { return true }
            return false
        }

        /// One word segment covering the whole term, of rule status 100–199 (ICU's numbers). On
        /// Reuters-21578 this per-term test equals the per-token status for every term (docs).
        private func isNumber(_ term: UnsafeBufferPointer<UInt8>, _ words: ICUWordSegmenter) -> Bool {
            words.segment(term, into: &segments)
            guard segments.count == 1, let s = segments.first else { return false }
            return s.status >= 100 && s.status < 200
        }
    }

    private final class Shared: Sendable {
        /// Only ever touched with the lock held (the evaluator is not thread-safe).
        struct State: @unchecked Sendable {
            var evaluator: Evaluator? = nil
            var cache: [[UInt8]: Bool] = [:]
        }
        let state = Locked(State())
    }
}

extension TermFilter: Equatable {
    /// Equal when every setting is (the caches do not count).
    public static func == (a: TermFilter, b: TermFilter) -> Bool {
        a.stopwords == b.stopwords && a.minLength == b.minLength && a.dropNumbers == b.dropNumbers
            && a.dropPatterns == b.dropPatterns && a.keepPatterns == b.keepPatterns && a.maxDocsRatio == b.maxDocsRatio
            && a.overRatio == b.overRatio && a.locale == b.locale
    }
}

extension TermFilter: ExpressibleByArrayLiteral {
    /// A filter of these (normalized) stopwords only.
    public init(arrayLiteral stopwords: [UInt8]...) {
        self.init(stopwords: Set(stopwords))
    }
}
