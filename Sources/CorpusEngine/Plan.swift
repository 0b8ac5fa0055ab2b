import CorpusCore

/// What co-occurrence counts: position pairs within a window, or sentences/documents containing both terms.
public enum CoocScope: Sendable, Equatable {
    case window(Int)
    case sentence
    case document
}

/// What one pass over a corpus computes. Every analyzer is a mergeable partial table per worker.
public struct AnalysisPlan: Sendable {
    public var tokenizer: TokenizerOptions
    /// N-grams of this length (2...5) with up to `ngramSkip` tokens skipped between neighbours.
    public var ngramN: Int? = nil
    public var ngramSkip: Int = 0
    /// Co-occurrence pairs.
    public var cooc: CoocScope? = nil
    /// Collocates of a node (its normalized tokens; several = a multi-word node) within a window.
    public var collocateNode: [String]? = nil
    public var collocateWindow: Int = 5
    /// Per-period unigram counts (trends, rising, bursts).
    public var periods: Granularity? = nil
    /// Sequences of normalized tokens counted per period (trends --terms; multi-word = n-gram in a sentence).
    public var periodPhrases: [[String]] = []
    /// Unigram counts per date range, in days since the epoch, inclusive (keyness by dates).
    public var dateRanges: [ClosedRange<Int64>] = []
    /// Stopwords and token filters: n-grams and pairs holding a term it leaves out are not counted
    /// (positions still count, so no false adjacency).
    public var filter = TermFilter()
    /// Keep one record per document (id, source, date, title, tokens) — the `docs` table.
    public var perDocument: Bool = false
    /// Keep every document's sparse term counts (the document-term matrix of `dtm`).
    public var documentTerms: Bool = false
    /// Keep the positions of these normalized terms in every document (`dispersion`).
    public var positionsOf: [String]? = nil
    /// A concordance (`kwic`): the query's hits with their context (Analyzers/Concordance.swift).
    public var concordance: ConcordanceQuery? = nil
    /// `--group-by FIELD`: counts per value of this metadata field (Analyzers/FieldGroups.swift); the reader
    /// must keep the field (`ReaderOptions.fields`).
    public var groupBy: String? = nil
    /// Record per-document duplicate signatures (Dedup.swift; the first pass of `--dedup`, and `dups`).
    public var dedupSignatures: DedupSignatureRequest? = nil
    /// Documents left out before tokenizing (duplicates dropped by `--dedup`): nothing of them is counted.
    public var skipOrdinals: OrdinalSet? = nil

    public init(tokenizer: TokenizerOptions = TokenizerOptions()) {
        self.tokenizer = tokenizer
    }

    /// Sentences are only segmented when an analyzer needs them (they cost a second ICU pass).
    public var needsSentences: Bool {
        if ngramN != nil || collocateNode != nil { return true }
        if let cooc, cooc != .document { return true }
        if periodPhrases.contains(where: { $0.count > 1 }) { return true }
        if let q = concordance, q.elements.count > 1 { return true }
        return false
    }

    /// Token byte offsets (`TokenizedText.starts/ends`) are only recorded when an analyzer needs them.
    public var needsOffsets: Bool { concordance != nil }
}

/// One row of the `docs` table.
public struct DocumentRecord: Sendable {
    public var ordinal: Int
    public var id: String
    public var source: String
    public var date: Int64?
    public var title: String
    public var tokens: Int
    /// The document's metadata fields (`Document.fields`).
    public var fields: [String: [String]]

    public init(ordinal: Int, id: String, source: String, date: Int64?, title: String, tokens: Int, fields: [String: [String]] = [:]) {
        self.ordinal = ordinal
        self.id = id
        self.source = source
        self.date = date
        self.title = title
        self.tokens = tokens
        self.fields = fields
    }
}
