import CorpusICU

/// Classes of the sentence fast path: UAX #29 Sentence_Break values of ASCII bytes, as the linked ICU
/// gives them. Values from `aTerm` up stop the scan (`FastSentenceSegmenter` decides at them).
package enum SentenceClass {
    package static let other: UInt8 = 0
    package static let lower: UInt8 = 1
    package static let upper: UInt8 = 2
    package static let numeric: UInt8 = 3
    package static let oLetter: UInt8 = 4
    package static let sp: UInt8 = 5
    package static let close: UInt8 = 6
    package static let sContinue: UInt8 = 7
    package static let aTerm: UInt8 = 8
    package static let sTerm: UInt8 = 9
    /// Sep and LF: a paragraph separator that is not CR.
    package static let sep: UInt8 = 10
    package static let cr: UInt8 = 11
    /// Non-ASCII bytes, Extend, Format: the region goes to ICU.
    package static let unsure: UInt8 = 12

    /// The class of one ASCII byte (from ICU's Sentence_Break value).
    package static func of(_ v: SentenceBreakData.Value) -> UInt8 {
        switch v {
        case .other: other
        case .lower: lower
        case .upper: upper
        case .numeric: numeric
        case .oLetter: oLetter
        case .sp: sp
        case .close: close
        case .sContinue: sContinue
        case .aTerm: aTerm
        case .sTerm: sTerm
        case .sep, .lf: sep
        case .cr: cr
        case .extend, .format: unsure
        }
    }

    /// The 256-entry table: ASCII bytes by ICU's property, every other byte `unsure`.
    package static func table() -> [UInt8] {
        (0..<256).map { b in b < 0x80 ? of(SentenceBreakData.value(UInt32(b))) : unsure }
    }
}

/// The ICU-exact fast sentence segmenter (issue 15). Gives, for every valid UTF-8 text and both
/// `SentenceBreakMode`s, exactly `ICUSentenceSegmenter`'s boundaries.
///
/// ICU reads the text as it is (`.plain`) or unwrapped (`.unwrap`: `SentenceUnwrap` turns every lone line
/// break into a space, byte for byte); here a lone line break is simply read as a space (Sp), so the
/// text is not copied. The text is cut into regions after every paragraph separator ICU sees (UAX #29
/// SB4 always breaks there, and no rule looks back across one). A region of ASCII characters is decided
/// by hand with the rules SB3–SB11 and each byte's class from ICU; a region holding any other byte (or an
/// Extend/Format byte) is handed to an ICU iterator owned by this one (unwrapped first in `.unwrap`
/// mode), and its boundaries are shifted back.
///
/// Only `FastScan.makeSentenceSegmenter` hands these out after the start-up self-test passed; the
/// `package` initializer exists for tests. Not thread-safe: one per worker.
public final class FastSentenceSegmenter: SentenceSegmenter {
    /// The class of each byte (settable for tests only).
    package var classes: [UInt8]
    public let mode: SentenceBreakMode
    private let fallback: ICUSentenceSegmenter
    private var region: [UInt8] = []
    private var icuOut: [Int32] = []
    /// Bytes handed to ICU so far (for statistics and tests).
    public private(set) var bytesToICU = 0
    /// The ASCII bytes the scan stops at (class `aTerm` and up), each repeated in all 8 bytes of a word,
    /// for skipping 8 bytes at a time; nil when there are more than 6 of them (then byte by byte).
    private let stops: SentenceStops?

    package init(classes: [UInt8], locale: String, mode: SentenceBreakMode) throws(ICUError) {
        precondition(classes.count == 256, "one class per byte")
        self.classes = classes
        self.mode = mode
        fallback = try ICUSentenceSegmenter(locale: locale, mode: .plain)
        stops = SentenceStops(classes)
    }

    public func boundaries(_ text: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        guard let p = text.baseAddress, text.count > 0 else { return }
        precondition(text.count < Int(Int32.max), "ICU offsets are 32-bit: chunks must be < 2 GiB")
        classes.withUnsafeBufferPointer { cls in
            var t = SentenceText(p: p, n: text.count, cls: cls, unwrap: mode == .unwrap)
            scan(&t, into: &out)
        }
    }

    /// ICU's boundaries of `t`, appended to (empty) `out`.
    private func scan(_ t: inout SentenceText, into out: inout [Int32]) {
        typealias C = SentenceClass
        let n = t.n
        var i = 0
        var regionStart = 0          // after the last paragraph separator
        var regionOut = 0            // out.count at regionStart
        /// Hands the region holding `at` to ICU; returns where the next region starts.
        func toICU(_ at: Int) -> Int {
            let end = handOff(&t, regionStart, at, &out, from: regionOut)
            regionStart = end
            regionOut = out.count
            return end
        }
        let stops = self.stops
        scan: while i < n {
            if let stops, i + 8 <= n {
                // Eight bytes at a time to the next byte the scan stops at.
                let m = stops.mask(UnsafeRawPointer(t.p + i).loadUnaligned(as: UInt64.self))
                if m == 0 { i += 8; continue }
                i += m.trailingZeroBitCount >> 3
            }
            let k0 = t.c(i)
            if k0 < C.aTerm { i += 1; continue }
            switch k0 {
            case C.sep, C.cr:
                if let e = t.loneBreakRunEnd(i) { i = e; continue scan }   // read as spaces
                i = t.afterParaSep(i)
            case C.aTerm, C.sTerm:
                // After SATerm Close* Sp*: decide the one place a break can be (SB6–SB11).
                var k = i + 1
                while k < n && t.c(k) == C.close { k += 1 }
                k = t.skipSpaces(k)
                if k == n { i = n; continue scan }
                let b = t.c(k)
                if b == C.unsure { i = toICU(k); continue scan }
                var noBreak = b >= C.aTerm || b == C.sContinue   // SB9/SB10 (ParaSep), SB8a
                var resume = k
                if !noBreak && k0 == C.aTerm {
                    if k == i + 1 && b == C.numeric {
                        noBreak = true                                                  // SB6
                    } else if k == i + 1 && b == C.upper && i > 0 && (t.c(i - 1) == C.upper || t.c(i - 1) == C.lower) {
                        noBreak = true                                                  // SB7
                    } else {
                        // SB8: ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep | SATerm))* Lower
                        switch t.sb8Lower(from: k) {
                        case .lower(let m): noBreak = true; resume = m
                        case .unsure(let m): i = toICU(m); continue scan
                        case .no: break
                        }
                    }
                }
                if !noBreak { out.append(Int32(k)) }                                    // SB11
                i = resume
                continue scan
            default:  // unsure
                i = toICU(i)
                continue scan
            }
            // After a paragraph separator (SB4): a boundary, and a new region.
            out.append(Int32(i))
            regionStart = i
            regionOut = out.count
        }
        if out.last != Int32(n) { out.append(Int32(n)) }
    }

    /// Hands the region from `start` (after a paragraph separator, or 0) to the end of the first paragraph
    /// separator at or after `at` to ICU (unwrapped in `.unwrap` mode): drops the boundaries found since
    /// `start` (`out` from index `from` on), appends ICU's, shifted. Returns the end of the region.
    private func handOff(_ t: inout SentenceText, _ start: Int, _ at: Int, _ out: inout [Int32], from: Int) -> Int {
        var end = at
        while end < t.n {
            let k = t.c(end)
            if k != SentenceClass.sep && k != SentenceClass.cr { end += 1; continue }
            if let e = t.loneBreakRunEnd(end) { end = e; continue }
            end = t.afterParaSep(end)
            break
        }
        region.removeAll(keepingCapacity: true)
        region.append(contentsOf: UnsafeBufferPointer(start: t.p + start, count: end - start))
        if t.unwrap {
            var j = start
            while j < end {
                let b = t.p[j]
                if (b == 10 || b == 13), let e = t.loneBreakRunEnd(j) {
                    for x in j..<e where t.p[x] == 10 || t.p[x] == 13 { region[x - start] = 32 }
                    j = e
                } else {
                    j += 1
                }
            }
        }
        out.removeSubrange(from...)
        region.withUnsafeBufferPointer { fallback.boundaries($0, into: &icuOut) }
        for e in icuOut { out.append(Int32(start) + e) }
        bytesToICU += end - start
        return end
    }
}

/// The start-up self-test of the sentence fast path: a few hundred tricky texts, fast against ICU, in
/// both modes (~60 KB, a few ms).
package enum FastSentenceSelfTest {
    /// One character of every ASCII sentence class, and line breaks: every string of three of them is tested.
    static let alphabet: [String] = [".", "?", "\"", ")", ",", " ", "a", "A", "1", "#", "\n", "\r"]

    /// Hand-picked cases (news abbreviations, quotes after terminators, SB8's look-ahead, wraps).
    package static let tricky: [String] = [
        "Mr. Smith went.", "U.S. officials said.", "e.g. the rest", "3.5 percent", "He said \"end.\" Then",
        "It ended.) And", "Why?! No.", "etc.) and so", "Wait... what", "Wait... What", "a. 1 b", "a. ( 1 b",
        "a.\r\nB", "a.\rB", "a.\n\n\nB", "a. \t\nb", "a.  \n  B", "no terminator", " ", "\t\n \r\n",
        "A. - b", "x.'\" (a", "x.,y", "x?,Y", "1.2.3", "A.B.C. d", "a.\"B", "Dr.\tJones", "p.m. Monday",
        "i.e.\n(a)", "x. \n\n y", "end.\r\n\r\nNew", "One.Two", "a?b", "a!B", "a. ;b", "x:\n\ny",
    ]

    /// The test texts as UTF-8, in batches of 256 joined by blank lines (each text starts a paragraph, and
    /// ICU runs over a few larger texts).
    static func batches() -> [[UInt8]] {
        var texts = tricky.map { Array($0.utf8) }
        let letters = alphabet.map { Array($0.utf8) }
        for a in letters { for b in letters { for c in letters { texts.append(a + b + c) } } }
        // Every ASCII byte where its class matters: after a terminator, before a lowercase letter, after a letter.
        for byte in UInt8(0)..<0x80 {
            let x = [byte]
            let contexts: [([UInt8], [UInt8])] = [(Array("a.".utf8), Array("a".utf8)), (Array("a.".utf8), Array(" B".utf8)),
                                                  (Array("A. ".utf8), Array(" b".utf8)), (Array("a".utf8), Array(". A".utf8)),
                                                  (Array("b.)".utf8), Array(" B".utf8)), (Array("?".utf8), Array(" B".utf8)), (x, Array("?".utf8))]
            for (l, r) in contexts { texts.append(l + x + r) }
        }
        var out: [[UInt8]] = []
        for start in stride(from: 0, to: texts.count, by: 256) {
            var b: [UInt8] = []
            for (k, t) in texts[start..<min(texts.count, start + 256)].enumerated() {
                if k > 0 { b += [10, 10] }
                b += t
            }
            out.append(b)
        }
        return out
    }

    /// The first difference between fast and ICU boundaries over the test texts, or nil.
    package static func run(classes: [UInt8], locale: String) throws(ICUError) -> String? {
        let texts = batches()
        var i: [Int32] = [], f: [Int32] = []
        for mode in SentenceBreakMode.allCases {
            let icu = try ICUSentenceSegmenter(locale: locale, mode: mode)
            let fast = try FastSentenceSegmenter(classes: classes, locale: locale, mode: mode)
            for text in texts {
                text.withUnsafeBufferPointer { icu.boundaries($0, into: &i); fast.boundaries($0, into: &f) }
                if i != f { return "\(mode): " + mismatch(String(decoding: text, as: UTF8.self), icu: i, fast: f) }
            }
        }
        return nil
    }

    /// Where `icu` and `fast` first differ, with the paragraph around it.
    package static func mismatch(_ text: String, icu: [Int32], fast: [Int32]) -> String {
        var k = 0
        while k < icu.count && k < fast.count && icu[k] == fast[k] { k += 1 }
        let bytes = Array(text.utf8)
        let at = Int(min(k < icu.count ? icu[k] : Int32(bytes.count), k < fast.count ? fast[k] : Int32(bytes.count)))
        var a = min(at, bytes.count), b = min(at, bytes.count)
        while a > 0 && !(bytes[a - 1] == 0x0A && a > 1 && bytes[a - 2] == 0x0A) { a -= 1 }
        while b < bytes.count && !(bytes[b] == 0x0A && b + 1 < bytes.count && bytes[b + 1] == 0x0A) { b += 1 }
        let i = icu.filter { Int($0) > a && Int($0) <= b }.map { Int($0) - a }
        let f = fast.filter { Int($0) > a && Int($0) <= b }.map { Int($0) - a }
        return "\(FastProbe.describe(Array(bytes[a..<b]))): ICU \(i), fast \(f)"
    }
}

/// The text being scanned: bytes, classes, and (in `.unwrap` mode) which line breaks are read as spaces.
struct SentenceText {
    let p: UnsafePointer<UInt8>
    let n: Int
    let cls: UnsafeBufferPointer<UInt8>
    let unwrap: Bool
    /// The last run of whitespace found to hold several line breaks (all kept); its start and end.
    var keptFrom = 0, keptUntil = 0

    init(p: UnsafePointer<UInt8>, n: Int, cls: UnsafeBufferPointer<UInt8>, unwrap: Bool) {
        self.p = p
        self.n = n
        self.cls = cls
        self.unwrap = unwrap
    }

    @inline(__always) func c(_ j: Int) -> UInt8 { cls[Int(p[j])] }

    /// The offset after the paragraph separator at `j` (CR LF together: SB3).
    @inline(__always) func afterParaSep(_ j: Int) -> Int {
        p[j] == 0x0D && j + 1 < n && p[j + 1] == 0x0A && cls[0x0A] == SentenceClass.sep ? j + 2 : j + 1
    }

    /// In `.unwrap` mode, when the byte at `j` is a line break that `SentenceUnwrap` turns into a space (its
    /// run of spaces, tabs and line breaks holds no other line break): the end of that run, all of it
    /// spaces for ICU. nil otherwise (not unwrapping, not a line break, or a kept one).
    @inline(__always) mutating func loneBreakRunEnd(_ j: Int) -> Int? {
        guard unwrap, j < keptFrom || j >= keptUntil else { return nil }
        let b = p[j]
        guard b == 10 || b == 13 else { return nil }
        return runEnd(j)
    }

    private mutating func runEnd(_ j: Int) -> Int? {
        // The LF of a CR LF belongs to the CR's break.
        var a = p[j] == 10 && j > 0 && p[j - 1] == 13 ? j - 1 : j
        while a > 0 && (p[a - 1] == 32 || p[a - 1] == 9) { a -= 1 }
        var breaks = a > 0 && (p[a - 1] == 10 || p[a - 1] == 13) ? 2 : 0
        var e = a
        while e < n {
            let b = p[e]
            if b == 13 {
                breaks += 1
                e += e + 1 < n && p[e + 1] == 10 ? 2 : 1
            } else if b == 10 {
                breaks += 1
                e += 1
            } else if b == 32 || b == 9 {
                e += 1
            } else {
                break
            }
        }
        if breaks == 1 { return e }
        keptFrom = a
        keptUntil = e
        return nil
    }

    /// The first offset at or after `k` that is not Sp (a lone line break counts as Sp).
    @inline(__always) mutating func skipSpaces(_ k: Int) -> Int {
        var k = k
        while k < n {
            let ck = c(k)
            if ck == SentenceClass.sp { k += 1; continue }
            if ck == SentenceClass.sep || ck == SentenceClass.cr, let e = loneBreakRunEnd(k) { k = e; continue }
            break
        }
        return k
    }

    enum Lookahead { case lower(Int), unsure(Int), no }

    /// SB8's look-ahead from `k`: skips characters that are not OLetter, Upper, Lower, ParaSep or SATerm
    /// (a lone line break is Sp) and says whether a Lower follows (at which offset), or an unsure byte.
    mutating func sb8Lower(from k: Int) -> Lookahead {
        var m = k
        while m < n {
            switch c(m) {
            case SentenceClass.lower: return .lower(m)
            case SentenceClass.upper, SentenceClass.oLetter, SentenceClass.aTerm, SentenceClass.sTerm: return .no
            case SentenceClass.sep, SentenceClass.cr:
                guard let e = loneBreakRunEnd(m) else { return .no }
                m = e
            case SentenceClass.unsure: return .unsure(m)
            default: m += 1
            }
        }
        return .no
    }
}

/// Up to six stop bytes, each broadcast to a word: `mask` marks the bytes of a word (read little-endian)
/// that are a stop byte or not ASCII; its lowest set bit is exact (the first such byte).
struct SentenceStops {
    let s0, s1, s2, s3, s4, s5: UInt64
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let high: UInt64 = 0x8080_8080_8080_8080

    init?(_ classes: [UInt8]) {
        #if _endian(little)
        var b = (0..<0x80).filter { classes[$0] >= SentenceClass.aTerm }.map { UInt64($0) &* SentenceStops.ones }
        guard b.count <= 6 else { return nil }
        while b.count < 6 { b.append(SentenceStops.high) }  // a non-ASCII byte: already stopped at
        (s0, s1, s2, s3, s4, s5) = (b[0], b[1], b[2], b[3], b[4], b[5])
        #else
        return nil
        #endif
    }

    /// The high bit of each zero byte of `y` (exact up to and including the first zero byte).
    @inline(__always) static func zeros(_ y: UInt64) -> UInt64 { (y &- ones) & ~y & high }

    @inline(__always) func mask(_ x: UInt64) -> UInt64 {
        typealias S = SentenceStops
        return (x & S.high) | S.zeros(x ^ s0) | S.zeros(x ^ s1) | S.zeros(x ^ s2) | S.zeros(x ^ s3)
            | S.zeros(x ^ s4) | S.zeros(x ^ s5)
    }
}
