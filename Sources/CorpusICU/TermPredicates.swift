internal import CICU

/// A pattern `ICURegex` could not compile: ICU's error name and where in the pattern (code points from 1).
public struct ICURegexError: Error, CustomStringConvertible, Sendable, Equatable {
    public let pattern: String
    /// ICU's name for the error, e.g. `U_REGEX_MISSING_CLOSE_BRACKET`.
    public let name: String
    /// ICU's `UParseError.offset` (0 when ICU gives none).
    public let offset: Int

    public var description: String { "invalid ICU regular expression '\(pattern)': \(name) at offset \(offset)" }
}

/// An ICU regular expression (`uregex`) tested against whole UTF-8 strings: `matches` is true when the
/// pattern matches the entire string (`uregex_matches`, not a search). Not thread-safe: give each thread
/// its own `copy()`.
public final class ICURegex {
    public let pattern: String
    private let re: OpaquePointer
    private var subject: UnsafeMutablePointer<UText>? = nil
    /// The pattern's UTF-8 bytes, alive as long as any copy (ICU may refer to the pattern's text).
    private let storage: PatternStorage

    /// Compiles `pattern` (ICU syntax: `\p{Han}`, `[[:Thai:]]`, `\d+` …; no flags).
    public init(_ pattern: String) throws(ICURegexError) {
        let storage = PatternStorage(pattern)
        var status = U_ZERO_ERROR
        var parse = UParseError()
        var ut: UnsafeMutablePointer<UText>? = nil
        ut = cicu_utext_openUTF8(nil, storage.chars, Int64(storage.count), &status)
        defer { if let ut { _ = cicu_utext_close(ut) } }
        let re = status.isFailure ? nil : cicu_uregex_openUText(ut, 0, &parse, &status)
        guard let re, !status.isFailure else {
            throw ICURegexError(pattern: pattern, name: String(cString: cicu_u_errorName(status)), offset: Int(max(0, parse.offset)))
        }
        self.pattern = pattern
        self.re = re
        self.storage = storage
    }

    private init(pattern: String, re: OpaquePointer, storage: PatternStorage) {
        self.pattern = pattern
        self.re = re
        self.storage = storage
    }

    deinit {
        cicu_uregex_close(re)
        if let subject { _ = cicu_utext_close(subject) }
    }

    /// An independent matcher of the same pattern (for another thread).
    public func copy() throws(ICUError) -> ICURegex {
        var status = U_ZERO_ERROR
        let clone = cicu_uregex_clone(re, &status)
        try status.check("uregex_clone")
        guard let clone else { throw ICUError(U_INTERNAL_PROGRAM_ERROR, "uregex_clone returned NULL") }
        return ICURegex(pattern: pattern, re: clone, storage: storage)
    }

    /// Whether the pattern matches all of `bytes` (valid UTF-8). An ICU failure (e.g. its stack limit on
    /// a pathological pattern) counts as no match.
    public func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var status = U_ZERO_ERROR
        let base = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
            ?? UnsafeRawPointer(UTF8BreakIterator.emptyBytes).assumingMemoryBound(to: CChar.self)
        subject = cicu_utext_openUTF8(subject, base, Int64(bytes.count), &status)
        if status.isFailure { return false }
        cicu_uregex_setUText(re, subject, &status)
        if status.isFailure { return false }
        let found = cicu_uregex_matches(re, 0, &status)
        return !status.isFailure && found != 0
    }

    /// `matches` on a string (tests, small inputs).
    public func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches($0) }
    }
}

/// A pattern's bytes in memory that never moves, freed with the last matcher that uses it.
private final class PatternStorage {
    let chars: UnsafeMutablePointer<CChar>
    let count: Int
    init(_ s: String) {
        let bytes = Array(s.utf8)
        count = bytes.count
        chars = .allocate(capacity: max(1, count))
        for (i, b) in bytes.enumerated() { chars[i] = CChar(bitPattern: b) }
    }
    deinit { chars.deallocate() }
}

/// Counts user-perceived characters (extended grapheme clusters, ICU's character break iterator) of
/// UTF-8 strings. Not thread-safe.
public final class ICUCharacterCounter {
    private let bi: UTF8BreakIterator

    public init() throws(ICUError) {
        bi = try UTF8BreakIterator(type: UBRK_CHARACTER, locale: "")
    }

    /// The number of extended grapheme clusters in `bytes` (valid UTF-8); ASCII counts bytes directly
    /// (no ASCII cluster spans two bytes except CR LF, which a token never holds).
    public func count(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if bytes.allSatisfy({ $0 < 0x80 && $0 != 13 }) { return bytes.count }
        guard bi.setText(bytes) else { return bytes.count }
        var n = 0
        _ = cicu_ubrk_first(bi.iterator)
        while cicu_ubrk_next(bi.iterator) != UBRK_DONE { n += 1 }
        return n
    }

    /// `count` of a string (tests, small inputs).
    public func count(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { count($0) }
    }
}
