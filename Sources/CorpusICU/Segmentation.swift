internal import CICU

/// The kind of a word segment, from ICU's rule status (`UWordBreak` ranges).
public enum SegmentKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Spaces, punctuation, symbols (status 0–99).
    case none = 0
    /// Numbers (100–199).
    case number = 1
    /// Letters (200–299).
    case letter = 2
    /// Kana (300–399).
    case kana = 3
    /// Ideographs (400–499).
    case ideographic = 4

    @inline(__always)
    public init(ruleStatus: Int32) {
        switch ruleStatus {
        case ..<100: self = .none
        case 100..<200: self = .number
        case 200..<300: self = .letter
        case 300..<400: self = .kana
        default: self = .ideographic
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .number: "number"
        case .letter: "letter"
        case .kana: "kana"
        case .ideographic: "ideographic"
        }
    }
}

/// One word-break segment: UTF-8 byte offsets `[start, end)` and ICU's rule status.
public struct WordSegment: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var start: Int32
    public var end: Int32
    public var status: Int32
    @inline(__always)
    public init(start: Int32, end: Int32, status: Int32) {
        self.start = start
        self.end = end
        self.status = status
    }
    /// SPEC.md "Tokens": a segment is a token when its rule status is >= 100 (`UBRK_WORD_NONE_LIMIT`).
    @inline(__always) public var isToken: Bool { status >= 100 }
    public var kind: SegmentKind { SegmentKind(ruleStatus: status) }
    public var description: String { "(\(start),\(end),\(status))" }
}

/// The segmenter stage of the pipeline: splits valid UTF-8 into word segments. ICU's iterator is one
/// implementation; a faster one that gives identical answers can stand in its place.
/// Instances are not thread-safe: give one to each worker.
public protocol WordSegmenter: AnyObject {
    /// Clears `out`, then appends every segment of `text` (offsets relative to `text`), in order,
    /// covering the text without gaps.
    func segment(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment])
    /// Clears `out`, then appends the word segments of `text` only — `isToken`, rule status 100 or more
    /// (numbers, letters, kana, ideographs): exactly `segment`'s with the rest (spaces, punctuation, line
    /// breaks) left out, for a consumer that skips them anyway (the tokenizer).
    func segmentWords(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment])
}

extension WordSegmenter {
    public func segmentWords(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment]) {
        segment(text, into: &out)
        out.removeAll { !$0.isToken }
    }
}

/// A break iterator over UTF-8 bytes (`utext_openUTF8`), owning its ICU handles. Not thread-safe.
final class UTF8BreakIterator {
    let iterator: OpaquePointer
    var text: UnsafeMutablePointer<UText>?
    let locale: String

    init(type: UBreakIteratorType, locale: String) throws(ICUError) {
        var status = U_ZERO_ERROR
        let bi = locale.withCString { cicu_ubrk_open(type, $0, &status) }
        try status.check("ubrk_open(\(locale))")
        guard let bi else { throw ICUError(U_INTERNAL_PROGRAM_ERROR, "ubrk_open returned NULL") }
        self.iterator = bi
        self.locale = locale
    }

    /// The locale whose rules ICU loaded (`ULOC_ACTUAL_LOCALE`): "" or "root" for the root rules.
    var actualLocale: String? {
        var status = U_ZERO_ERROR
        guard let name = cicu_ubrk_getLocaleByType(iterator, ULOC_ACTUAL_LOCALE, &status), !status.isFailure else { return nil }
        return String(cString: name)
    }

    deinit {
        cicu_ubrk_close(iterator)
        if let text { _ = cicu_utext_close(text) }
    }

    /// Points the iterator at `bytes` (which must stay alive while iterating); returns false on failure.
    @inline(__always)
    func setText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var status = U_ZERO_ERROR
        // An empty buffer may have a nil base address: give ICU a valid pointer.
        let emptyByte: UnsafePointer<CChar> = UnsafeRawPointer(UTF8BreakIterator.emptyBytes).assumingMemoryBound(to: CChar.self)
        let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? emptyByte
        text = cicu_utext_openUTF8(text, base, Int64(bytes.count), &status)
        if status.isFailure { return false }
        cicu_ubrk_setUText(iterator, text, &status)
        return !status.isFailure
    }

    nonisolated(unsafe) static let emptyBytes: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.pointee = 0
        return p
    }()
}

/// ICU's word break iterator (UAX #29 + dictionaries for Chinese, Japanese, Thai, Lao, Khmer, Burmese).
public final class ICUWordSegmenter: WordSegmenter {
    private let bi: UTF8BreakIterator
    /// The locale asked for ("" = root).
    public var locale: String { bi.locale }

    public init(locale: String = "") throws(ICUError) {
        bi = try UTF8BreakIterator(type: UBRK_WORD, locale: locale)
    }

    public func segment(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment]) {
        out.removeAll(keepingCapacity: true)
        guard text.count > 0 else { return }
        precondition(text.count < Int(Int32.max), "ICU offsets are 32-bit: chunks must be < 2 GiB")
        guard bi.setText(text) else { return }
        let it = bi.iterator
        var start = cicu_ubrk_first(it)
        while true {
            let end = cicu_ubrk_next(it)
            if end == UBRK_DONE { break }
            out.append(WordSegment(start: start, end: end, status: cicu_ubrk_getRuleStatus(it)))
            start = end
        }
    }

    /// Convenience for tests and small inputs.
    public func segments(_ text: String) -> [WordSegment] {
        var out: [WordSegment] = []
        var s = text
        s.withUTF8 { segment($0, into: &out) }
        return out
    }
}

/// How line breaks take part in sentence segmentation.
public enum SentenceBreakMode: String, Sendable, CaseIterable {
    /// Hard line wraps undone: a single line break (LF, CR LF or CR) is read as a space; two or more in a
    /// row (a blank line, possibly holding spaces or tabs) still end the sentence. The default.
    case unwrap
    /// ICU's own rules: every line break ends a sentence.
    case plain
}

/// The sentence stage of the pipeline: the end offset of every sentence. ICU's iterator is one
/// implementation; a faster one that gives identical answers can stand in its place. Not thread-safe.
public protocol SentenceSegmenter: AnyObject {
    /// Clears `out`, then appends the end offset of every sentence of `text` (offsets relative to `text`,
    /// increasing; the last is `text.count`; nothing for empty text).
    func boundaries(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int32])
}

extension SentenceSegmenter {
    /// The sentence ends of a string (convenience for tests and small inputs).
    public func boundaries(_ text: String) -> [Int32] {
        var out: [Int32] = []
        var s = text
        s.withUTF8 { boundaries($0, into: &out) }
        return out
    }
}

/// ICU's sentence break iterator over UTF-8.
public final class ICUSentenceSegmenter: SentenceSegmenter {
    private let bi: UTF8BreakIterator
    public let mode: SentenceBreakMode
    private var unwrapped: [UInt8] = []

    public init(locale: String = "", mode: SentenceBreakMode = .unwrap) throws(ICUError) {
        bi = try UTF8BreakIterator(type: UBRK_SENTENCE, locale: locale)
        self.mode = mode
    }

    /// Clears `out`, then appends the end offset of every sentence of `text` (the last is `text.count`).
    public func boundaries(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        guard text.count > 0 else { return }
        precondition(text.count < Int(Int32.max), "ICU offsets are 32-bit: chunks must be < 2 GiB")
        if mode == .unwrap && SentenceUnwrap.unwrap(text, into: &unwrapped) {
            unwrapped.withUnsafeBufferPointer { iterate($0, into: &out) }
        } else {
            iterate(text, into: &out)
        }
    }

    private func iterate(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        guard bi.setText(text) else {
            out.append(Int32(text.count))
            return
        }
        let it = bi.iterator
        _ = cicu_ubrk_first(it)
        while true {
            let end = cicu_ubrk_next(it)
            if end == UBRK_DONE { break }
            out.append(end)
        }
    }
}

/// What the ICU-exact sentence fast path (module CorpusFastScan) needs to know about ICU's sentence data.
public enum SentenceBreakData {
    /// UAX #29 Sentence_Break values (`UCharSentenceBreak`), as the fast path names them.
    public enum Value: UInt8, Sendable, CaseIterable {
        case other, aTerm, close, format, lower, numeric, oLetter, sep, sp, sTerm, upper, cr, extend, lf, sContinue
    }

    /// ICU's Sentence_Break property of `scalar` (`u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK)`);
    /// `.other` for a value this enum does not know.
    public static func value(_ scalar: UInt32) -> Value {
        let v = cicu_u_getIntPropertyValue(UChar32(bitPattern: scalar), UCHAR_SENTENCE_BREAK)
        switch USentenceBreak(UInt32(bitPattern: v)) {
        case U_SB_ATERM: return .aTerm
        case U_SB_CLOSE: return .close
        case U_SB_FORMAT: return .format
        case U_SB_LOWER: return .lower
        case U_SB_NUMERIC: return .numeric
        case U_SB_OLETTER: return .oLetter
        case U_SB_SEP: return .sep
        case U_SB_SP: return .sp
        case U_SB_STERM: return .sTerm
        case U_SB_UPPER: return .upper
        case U_SB_CR: return .cr
        case U_SB_EXTEND: return .extend
        case U_SB_LF: return .lf
        case U_SB_SCONTINUE: return .sContinue
        default: return .other
        }
    }

    /// The locale whose sentence-break rules ICU actually loads for `locale` (`ULOC_ACTUAL_LOCALE` of a
    /// sentence break iterator): "" or "root" for the root rules; the tailored locale otherwise (e.g. "el").
    /// nil when the iterator cannot be opened.
    public static func actualLocale(_ locale: String) -> String? {
        (try? UTF8BreakIterator(type: UBRK_SENTENCE, locale: locale))?.actualLocale
    }
}

/// Undoing hard line wraps for sentence segmentation (byte for byte, so offsets do not move).
public enum SentenceUnwrap {
    /// Copies `text` into `out` with every lone line break (LF, CR LF or CR whose run of spaces, tabs and
    /// line breaks holds no other line break) replaced by spaces. Returns false, leaving `out` untouched,
    /// when the text has no line break at all (then the text itself is what ICU should read).
    public static func unwrap(_ text: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        let n = text.count
        var i = 0
        // Find the first line break; texts without one are left alone.
        while i < n && text[i] != 10 && text[i] != 13 { i += 1 }
        if i == n { return false }
        out.removeAll(keepingCapacity: true)
        out.append(contentsOf: text)
        while i < n {
            let b = text[i]
            guard b == 10 || b == 13 || b == 32 || b == 9 else { i += 1; continue }
            // A run of horizontal whitespace and line breaks: count its line breaks (CR LF is one).
            let start = i
            var breaks = 0
            while i < n {
                let c = text[i]
                if c == 13 {
                    breaks += 1
                    i += (i + 1 < n && text[i + 1] == 10) ? 2 : 1
                } else if c == 10 {
                    breaks += 1
                    i += 1
                } else if c == 32 || c == 9 {
                    i += 1
                } else {
                    break
                }
            }
            if breaks == 1 {
                for k in start..<i where text[k] == 10 || text[k] == 13 { out[k] = 32 }
            }
        }
        return true
    }

    public static func unwrap(_ s: String) -> String {
        var out: [UInt8] = []
        var s = s
        let changed = s.withUTF8 { unwrap($0, into: &out) }
        return changed ? String(decoding: out, as: UTF8.self) : s
    }
}
