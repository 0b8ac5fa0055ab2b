import CorpusICU
import CorpusCore
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ICU-exact fast path for word segmentation (issue 9). Entry point used by the engine.
public enum FastScan {
    /// Whether the fast path is on for a locale, and why.
    public enum Availability: Sendable, Equatable, CustomStringConvertible {
        /// On: the self-test against the linked ICU passed.
        case on
        /// Off: the locale has word-break rules of its own (or keywords), so it is not proven identical to root.
        case notRootRules(String)
        /// Off: the linked ICU disagreed with the fast path in the start-up self-test.
        case selfTestFailed(String)

        public var description: String {
            switch self {
            case .on: "on"
            case .notRootRules(let why): "off (\(why))"
            case .selfTestFailed(let why): "off (self-test: \(why))"
            }
        }
    }

    private enum Entry {
        case on(FastClassTable)
        case off(Availability)
    }

    private static let cache = Locked<[String: Entry]>([:])
    private static let warned = Atomic<Bool>(false)
    /// 0: no verdict yet; 1: kept by an earlier process (`SelfTestCache`); 2: self-test run here.
    private static let selfTestSource = Atomic<Int>(0)

    /// How this process knows the fast path is exact: "self-test passed", "self-test passed (kept verdict)",
    /// or nil before the first use.
    public static var selfTestNote: String? {
        switch selfTestSource.load(ordering: .relaxed) {
        case 1: "self-test verdict kept from an earlier run with the same executable and ICU"
        case 2: "self-test run in this process"
        default: nil
        }
    }

    /// A fast segmenter for `locale`, or nil when the fast path is not proven identical to ICU for it
    /// (locales with word-break rules of their own, such as `sv`, `fi` or `en_US_POSIX`, or a failed
    /// start-up self-test, which is said once on stderr). Its segments are ICU's, exactly.
    public static func makeSegmenter(locale: String) throws -> (any WordSegmenter)? {
        guard let table = try table(for: locale) else { return nil }
        return try FastWordSegmenter(table: table, locale: locale)
    }

    /// Whether the fast path is on for `locale` (runs the self-test on first use).
    public static func availability(locale: String) throws -> Availability {
        _ = try table(for: locale)
        if !usesRootRules(locale) { return .notRootRules("locale \"\(locale)\" has word-break rules of its own") }
        return cache.withLock { cache in
            switch cache[""] {
            case .on?: .on
            case .off(let a)?: a
            case nil: .selfTestFailed("not run")
            }
        }
    }

    /// True when ICU uses the root word-break rules for `locale` (no tailoring of its own, no keywords):
    /// "", "root", "en", "en_US", "de", "fr", … but not "sv", "fi" (which tailor `:`) or "en_US_POSIX".
    public static func usesRootRules(_ locale: String) -> Bool {
        if locale.contains("@") { return false }
        guard let actual = WordBreakData.actualLocale(locale) else { return false }
        return actual.isEmpty || actual == "root"
    }

    /// The probed class table for `locale`, or nil when the fast path is off for it. The probing and the
    /// self-test run once per locale and process; concurrent callers wait for the first.
    package static func table(for locale: String) throws -> FastClassTable? {
        // Every locale that uses the root rules shares one entry: same rules, same answers.
        let rootRules = usesRootRules(locale)
        let key = rootRules ? "" : locale
        let entry: Entry = try cache.withLock { cache throws -> Entry in
            if let e = cache[key] { return e }
            let e = rootRules ? try build() : .off(.notRootRules("locale \"\(locale)\" has word-break rules of its own"))
            cache[key] = e
            if case .off(.selfTestFailed(let why)) = e, !warned.exchange(true, ordering: .relaxed) {
                warn("corpuskit: the fast word segmenter is off: ICU \(ICUInfo.icuVersion) disagrees with it (\(why)); using plain ICU (same results, slower)\n")
            }
            return e
        }
        if case .on(let t) = entry { return t }
        return nil
    }

    /// Probes the root rules and runs the self-test. Probing classifies each character in turn against
    /// the classes found so far; when the self-test fails after a pass that changed classes, one more pass
    /// starts from the new classes (a later change may have moved an earlier character).
    /// A verdict kept by an earlier process with the same executable and ICU (`SelfTestCache`) stands in
    /// for the probing and the self-test; a new verdict is kept for the next process.
    private static func build() throws -> Entry {
        let icu = try ICUWordSegmenter(locale: "")
        let key = SelfTestCache.key(locale: "")
        if let key, let kept = SelfTestCache.load(key: key) {
            selfTestSource.store(1, ordering: .relaxed)
            return .on(FastProbe.makeTable(kept, icu: icu))
        }
        var start: [UInt32: UInt8]? = nil
        var failure = "probing failed"
        for _ in 0..<3 {
            let (classes, problem) = try FastProbe.classify(icu: icu, locale: "", start: start)
            guard let classes else { return .off(.selfTestFailed(problem ?? failure)) }
            let table = FastProbe.makeTable(classes, icu: icu)
            guard let m = try FastProbe.selfTest(table, locale: "") else {
                selfTestSource.store(2, ordering: .relaxed)
                if let key { SelfTestCache.store(classes, key: key) }
                return .on(table)
            }
            failure = m
            if let start, start == classes { break }
            start = classes
        }
        return .off(.selfTestFailed(failure))
    }

    // MARK: - Sentences

    private static let sentenceCache = Locked<[String: [UInt8]?]>([:])
    private static let sentenceWarned = Atomic<Bool>(false)

    /// A fast sentence segmenter for `locale` and `mode`, or nil when the fast path is not proven identical
    /// to ICU for it (locales with sentence-break rules of their own, such as `el`, any `@` keyword, or a
    /// failed start-up self-test, which is said once on stderr). Its boundaries are ICU's, exactly.
    public static func makeSentenceSegmenter(locale: String, mode: SentenceBreakMode) throws -> FastSentenceSegmenter? {
        guard let classes = try sentenceClasses(for: locale) else { return nil }
        return try FastSentenceSegmenter(classes: classes, locale: locale, mode: mode)
    }

    /// Whether the sentence fast path is on for `locale`, and why not (runs the self-test on first use).
    public static func sentenceAvailability(locale: String) throws -> Availability {
        if !usesRootSentenceRules(locale) { return .notRootRules("locale \"\(locale)\" has sentence-break rules of its own") }
        if try sentenceClasses(for: locale) != nil { return .on }
        return .selfTestFailed(sentenceFailure.withLock { $0 } ?? "not run")
    }

    private static let sentenceFailure = Locked<String?>(nil)

    /// True when ICU uses the root sentence-break rules for `locale` (no tailoring, no keywords).
    public static func usesRootSentenceRules(_ locale: String) -> Bool {
        if locale.contains("@") { return false }
        guard let actual = SentenceBreakData.actualLocale(locale) else { return false }
        return actual.isEmpty || actual == "root"
    }

    /// The class of each byte for `locale`'s sentence rules, or nil when the fast path is off for it. The
    /// self-test runs once per process (all root-rule locales share it); concurrent callers wait for the first.
    package static func sentenceClasses(for locale: String) throws -> [UInt8]? {
        guard usesRootSentenceRules(locale) else { return nil }
        return try sentenceCache.withLock { cache throws -> [UInt8]? in
            if let e = cache[""] { return e }
            let classes = SentenceClass.table()
            let failure = try FastSentenceSelfTest.run(classes: classes, locale: "")
            let e: [UInt8]? = failure == nil ? classes : nil
            cache[""] = e
            if let failure {
                sentenceFailure.withLock { $0 = failure }
                if !sentenceWarned.exchange(true, ordering: .relaxed) {
                    warn("corpuskit: the fast sentence segmenter is off: ICU \(ICUInfo.icuVersion) disagrees with it (\(failure)); using plain ICU (same results, slower)\n")
                }
            }
            return e
        }
    }

    private static func warn(_ message: String) {
        var m = message
        m.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let r = write(2, buf.baseAddress! + off, buf.count - off)
                if r <= 0 { break }
                off += r
            }
        }
    }
}
