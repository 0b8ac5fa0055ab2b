import CorpusCore
import CorpusICU
import CorpusFastScan
#if canImport(Glibc)
import Glibc
#endif

/// Which word segmenter to use.
public enum SegmenterChoice: String, Sendable, CaseIterable {
    /// The fastest segmenter proven identical to ICU for the locale (plain ICU when none is).
    case auto
    /// ICU's break iterator, always.
    case icu
}

/// Everything that decides what a token is: SPEC.md "Tokens" plus the options that change a step.
public struct TokenizerOptions: Sendable, Equatable {
    public var normalization: NormalizationMode
    public var stripAccents: Bool
    public var locale: String
    public var segmenter: SegmenterChoice
    /// Step 4: typographic apostrophes (U+2018, U+2019, U+02BC) become U+0027.
    public var foldApostrophes: Bool
    /// Sentences: hard line wraps undone (the default) or ICU's plain rules.
    public var sentenceBreaks: SentenceBreakMode

    public init(normalization: NormalizationMode = .nfkcCasefold, stripAccents: Bool = false, locale: String = "", segmenter: SegmenterChoice = .auto,
                foldApostrophes: Bool = true, sentenceBreaks: SentenceBreakMode = .unwrap) {
        self.normalization = normalization
        self.stripAccents = stripAccents
        self.locale = locale
        self.segmenter = segmenter
        self.foldApostrophes = foldApostrophes
        self.sentenceBreaks = sentenceBreaks
    }

    /// The normalizer stage these options describe.
    public func makeNormalizer() throws -> TokenNormalizer {
        try TokenNormalizer(mode: normalization, stripAccents: stripAccents, locale: locale, foldApostrophes: foldApostrophes)
    }
}

/// A factory for word segmenters: the engine asks it for one per worker. The fast path plugs in here.
public enum SegmenterFactory {
    public static func make(_ options: TokenizerOptions) throws -> any WordSegmenter {
        if options.segmenter == .auto, let s = try FastScan.makeSegmenter(locale: options.locale) { return s }
        return try ICUWordSegmenter(locale: options.locale)
    }

    /// A sentence segmenter: the ICU-exact fast one with `--segmenter auto` when it is on for the locale,
    /// else ICU's iterator (same boundaries).
    public static func makeSentences(_ options: TokenizerOptions) throws -> any SentenceSegmenter {
        if options.segmenter == .auto,
           let s = try FastScan.makeSentenceSegmenter(locale: options.locale, mode: options.sentenceBreaks) { return s }
        return try ICUSentenceSegmenter(locale: options.locale, mode: options.sentenceBreaks)
    }
}

/// The tokens of one document: local term ids in order, and where each sentence starts.
public struct TokenizedText {
    /// Term ids (local to the worker's vocabulary), in text order.
    public var terms: [TermID] = []
    /// Index into `terms` of each sentence's first token; empty when sentences were not asked for.
    /// Sentences without tokens are left out.
    public var sentenceStarts: [Int32] = []
    /// Fill `starts` and `ends` (set it before tokenizing; off by default, when they cost nothing).
    public var recordsOffsets = false
    /// UTF-8 byte offsets of each token in the whole text given to `Tokenizer.tokenize` (for a document:
    /// its analyzed text), `[starts[i], ends[i])`, across the pieces long texts are cut into. Empty unless
    /// `recordsOffsets`.
    public var starts: [Int] = []
    public var ends: [Int] = []
    /// When set, each token is added to this tally instead of `terms` (which stays empty): for plans whose
    /// analyzers only count terms, so a document's memory is its text plus the vocabulary. Sentences and
    /// offsets are not recorded then.
    public var tally: TermTally? = nil
    /// Tokens added to `tally` (tally mode).
    public private(set) var tallied = 0
    /// The document's tokens: `terms.count`, or the tallied ones.
    public var tokenCount: Int { tally == nil ? terms.count : tallied }
    public init(recordsOffsets: Bool = false) { self.recordsOffsets = recordsOffsets }

    mutating func clear() {
        terms.removeAll(keepingCapacity: true)
        sentenceStarts.removeAll(keepingCapacity: true)
        tallied = 0
        if recordsOffsets {
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always) mutating func addTallied() { tallied &+= 1 }

    /// Calls `body(range)` for each sentence's token range (the whole text as one when no sentences).
    @inline(__always)
    public func forEachSentence(_ body: (Range<Int>) -> Void) {
        if sentenceStarts.isEmpty {
            if !terms.isEmpty { body(0..<terms.count) }
            return
        }
        for s in 0..<sentenceStarts.count {
            let a = Int(sentenceStarts[s])
            let b = s + 1 < sentenceStarts.count ? Int(sentenceStarts[s + 1]) : terms.count
            if b > a { body(a..<b) }
        }
    }
}

/// One worker's tokenizer: segmenter, sentence breaker, normalizer and vocabulary. Not thread-safe.
public final class Tokenizer {
    public let options: TokenizerOptions
    public let vocabulary: Vocabulary
    private let segmenter: any WordSegmenter
    /// Made at init when sentences are expected, else on first use (its self-test then costs nothing
    /// to a plan that never asks for sentences).
    private var sentenceSegmenter: (any SentenceSegmenter)?
    private let normalizer: TokenNormalizer
    private var segments: [WordSegment] = []
    private var sentenceEnds: [Int32] = []
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 256
    private var normalized: [UInt8] = []
    /// Bytes of text segmented so far.
    public private(set) var bytesProcessed = 0

    /// `sentences`: whether `tokenize` will be asked for sentence boundaries (they are still given when
    /// asked otherwise; the sentence segmenter is then made on first use).
    public init(options: TokenizerOptions, vocabulary: Vocabulary = Vocabulary(), sentences: Bool = true) throws {
        self.options = options
        self.vocabulary = vocabulary
        segmenter = try SegmenterFactory.make(options)
        sentenceSegmenter = sentences ? try SegmenterFactory.makeSentences(options) : nil
        normalizer = try options.makeNormalizer()
        scratch = .allocate(capacity: scratchCapacity)
    }

    deinit { scratch.deallocate() }

    /// Texts longer than this are tokenized in pieces cut at certain boundaries (`Tokenizer.cut`), so ICU's
    /// 32-bit offsets are never exceeded and the segment buffers stay bounded whatever a document's size.
    /// `CORPUSKIT_PIECE_BYTES` overrides it (tests prove the cutting on small texts with it).
    public static let defaultPieceBytes: Int = {
        if let v = getenv("CORPUSKIT_PIECE_BYTES"), let n = Int(String(cString: v)), n >= 64 { return n }
        return 4 << 20
    }()
    public var pieceBytes = Tokenizer.defaultPieceBytes

    /// Tokenizes `text` (valid UTF-8) into `out` (cleared first).
    public func tokenize(_ text: UnsafeBufferPointer<UInt8>, sentences: Bool, into out: inout TokenizedText) {
        out.clear()
        append(text, at: 0, sentences: sentences, into: &out)
    }

    /// Appends the tokens of `text`, which starts `offset` bytes into the whole text, cut into pieces of at
    /// most `pieceBytes`; its first token starts a sentence.
    private func append(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, sentences: Bool, into out: inout TokenizedText) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        var start = 0
        while text.count - start > pieceBytes {
            let end = Tokenizer.cut(text, from: start, limit: pieceBytes)
            appendTokens(UnsafeBufferPointer(start: base + start, count: end - start), at: offset + start, sentences: sentences, into: &out)
            start = end
        }
        appendTokens(UnsafeBufferPointer(start: base + start, count: text.count - start), at: offset + start, sentences: sentences, into: &out)
    }

    /// Where to end the piece that starts at `from` (at most `limit` bytes): after a blank line (a certain
    /// word and sentence boundary: a sentence never spans it), else after a line break (a certain word
    /// boundary; the sentence is cut there), else between a space and a non-space ASCII byte (a certain word
    /// boundary), else at a character boundary. Searches the second half of the window, latest first.
    static func cut(_ text: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int {
        let hi = from + limit, lo = from + limit / 2
        var afterLine = -1, afterSpace = -1
        var i = hi - 1
        while i >= lo {
            let b = text[i]
            if b == 10 {
                // A blank line: another line break before this one with only spaces, tabs or CR between.
                var j = i - 1
                while j >= from && (text[j] == 32 || text[j] == 9 || text[j] == 13) { j -= 1 }
                if j >= from && text[j] == 10 { return i + 1 }
                if afterLine < 0 { afterLine = i + 1 }
            } else if afterSpace < 0 && b == 32 && i + 1 < hi && text[i + 1] < 0x80 && text[i + 1] > 32 {
                afterSpace = i + 1
            }
            i -= 1
        }
        if afterLine > 0 { return afterLine }
        if afterSpace > 0 { return afterSpace }
        var k = hi
        while k > from + 1 && text[k] & 0xC0 == 0x80 { k -= 1 }
        return k
    }

    /// Appends the tokens of one piece (at most `pieceBytes`) that starts `offset` bytes into the whole text;
    /// its first token starts a sentence.
    private func appendTokens(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, sentences: Bool, into out: inout TokenizedText) {
        guard let base = text.baseAddress, text.count > 0 else { return }
        bytesProcessed += text.count
        segmenter.segmentWords(text, into: &segments)
        if sentences {
            if sentenceSegmenter == nil { sentenceSegmenter = try? SegmenterFactory.makeSentences(options) }
            if let s = sentenceSegmenter {
                s.boundaries(text, into: &sentenceEnds)
            } else {
                // No sentence segmenter could be made (the word segmenter for the same locale was): the
                // piece is one sentence.
                sentenceEnds.removeAll(keepingCapacity: true)
                sentenceEnds.append(Int32(truncatingIfNeeded: text.count))
            }
        }
        var sentence = 0
        var sentenceOpen = false
        let lowerASCII = normalizer.asciiRule == .lowercase
        let identityASCII = normalizer.asciiRule == .identity
        let offsets = out.recordsOffsets
        // Unmanaged and non-optional: a strong or unowned reference in the loop cost a retain and release
        // per token (around the tally's rare growth call). `out` keeps it alive; the placeholder is never
        // touched (`tallying` is false then).
        let tallying = out.tally != nil
        let tally = Unmanaged.passUnretained(out.tally ?? TermTally.placeholder)
        // Locals: a class property read in the loop costs a retain and release per token.
        let vocabulary = self.vocabulary
        let normalizer = self.normalizer
        for seg in segments {
            let start = Int(seg.start)
            let n = Int(seg.end) - start
            if sentences {
                while sentence < sentenceEnds.count && seg.start >= sentenceEnds[sentence] {
                    sentence += 1
                    sentenceOpen = false
                }
            }
            // ASCII fast path: lowercase, check ASCII-ness and hash in one pass, 8 bytes at a time.
            if n + 8 > scratchCapacity {
                scratch.deallocate()
                scratchCapacity = (n + 8) * 2
                scratch = .allocate(capacity: scratchCapacity)
            }
            let src = base + start
            var id: TermID = 0
            var handled = false
            if lowerASCII || identityASCII {
                var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
                var i = 0
                var ascii = true
                let raw = UnsafeMutableRawPointer(scratch)
                while i + 8 <= n {
                    var w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                    if w & 0x8080_8080_8080_8080 != 0 { ascii = false; break }
                    if lowerASCII { w = Tokenizer.lowercased(w) }
                    raw.storeBytes(of: w, toByteOffset: i, as: UInt64.self)
                    h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
                    h ^= h >> 31
                    i += 8
                }
                var tail: UInt64 = 0
                if ascii && i < n {
                    // The last 1–7 bytes: one masked 8-byte load where 8 bytes are readable (all but the
                    // text's last token), else byte by byte.
                    var w: UInt64 = 0
                    if text.count - start - i >= 8 {
                        w = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self) & (UInt64.max >> UInt64(truncatingIfNeeded: (8 &- (n &- i)) &* 8))
                        if w & 0x8080_8080_8080_8080 != 0 { ascii = false }
                    } else {
                        var shift: UInt64 = 0
                        var k = i
                        while k < n {
                            let b = src[k]
                            if b >= 0x80 { ascii = false; break }
                            w |= UInt64(b) << shift
                            shift += 8
                            k += 1
                        }
                    }
                    if ascii {
                        if lowerASCII { w = Tokenizer.lowercased(w) }
                        raw.storeBytes(of: w, toByteOffset: i, as: UInt64.self)
                        h = (h ^ w) &* 0x94D0_49BB_1331_11EB
                        h ^= h >> 29
                        tail = w
                    }
                }
                if ascii {
                    let prefix = n >= 8 ? UnsafeRawPointer(scratch).loadUnaligned(as: UInt64.self) : tail
                    id = vocabulary.intern(scratch, n, hash: Hash.mix(h), prefix: prefix)
                    handled = true
                }
            }
            if !handled {
                normalized.removeAll(keepingCapacity: true)
                normalizer.normalize(UnsafeBufferPointer(start: src, count: n), into: &normalized)
                if normalized.isEmpty { continue }
                id = normalized.withUnsafeBufferPointer { vocabulary.intern($0.baseAddress!, $0.count) }
            }
            if tallying {
                tally._withUnsafeGuaranteedRef { $0.add(id) }
                out.addTallied()
                continue
            }
            if sentences && !sentenceOpen {
                out.sentenceStarts.append(Int32(out.terms.count))
                sentenceOpen = true
            }
            out.terms.append(id)
            if offsets {
                out.starts.append(offset + start)
                out.ends.append(offset + start + n)
            }
        }
    }

    /// `w` (8 ASCII bytes) with A–Z lowercased, all at once (no byte carries into the next: each is < 0x80).
    @inline(__always)
    static func lowercased(_ w: UInt64) -> UInt64 {
        let upper = (w &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(w &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
        return w | (upper >> 2)
    }

    /// Tokenizes a document's analyzed text (title, blank line, body) in place: the title, then the body
    /// at its offset in the analyzed text. The blank line between them is a certain word and sentence
    /// boundary, so the tokens, sentences and offsets are those of `analyzedText`, without building it (a
    /// copy as large as the document).
    public func tokenize(_ document: Document, sentences: Bool, into out: inout TokenizedText) {
        out.clear()
        var offset = 0
        if var title = document.title, !title.isEmpty {
            title.withUTF8 { append($0, at: 0, sentences: sentences, into: &out) }
            offset = title.utf8.count + 2
        }
        document.body.withUnsafeBufferPointer { append($0, at: offset, sentences: sentences, into: &out) }
    }

    /// Normalizes a user-given term the way tokens are (e.g. "Iran" → "iran"); a multi-word term
    /// gives several tokens.
    public func tokens(of s: String) -> [String] {
        var out = TokenizedText()
        var s = s
        s.withUTF8 { tokenize($0, sentences: false, into: &out) }
        return out.terms.map { vocabulary.string($0) }
    }
}
