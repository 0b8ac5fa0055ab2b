import CorpusCore

/// Date parsing for documents (SPEC.md "Documents"), in pure Swift over CorpusCore's `CivilDate`
/// (proleptic Gregorian calendar); no Foundation `DateFormatter` (slow, locale-dependent).
///
/// Every result is UTC seconds since 1970-01-01T00:00:00Z. Accepted forms (leading/trailing blanks ignored,
/// month and weekday names in English, any letter case):
/// - ISO 8601: `2022-02-12`, `2022-02`, `2022`, `2022-02-12T10:30`, `2022-02-12T10:30:15.250Z`,
///   `2022-02-12 10:30:15+05:30` / `+0530` / `+05`; the `T` may be a space; no zone = UTC; a zone name
///   after a space is accepted too (`2022-02-12 10:30:00 UTC`). Fractions of a second are truncated.
/// - RFC 2822/5322 (e-mail, Usenet, RSS): `Mon, 05 Apr 93 18:01:16 GMT`, `2 Apr 1993 21:22:59 -0400`,
///   weekday optional, seconds optional, a trailing `(comment)` ignored; two-digit years 00–49 → 20xx,
///   50–99 → 19xx, three-digit years + 1900 (RFC 5322 obsolete syntax); zones GMT, UT, UTC, Z, EST, EDT,
///   CST, CDT, MST, MDT, PST, PDT and numeric `±hhmm`; no zone = UTC. Any other alphabetic zone name
///   (1–5 letters, after a time: `IDT`, `NZST`, `CET`) counts as `-0000`, i.e. UTC (RFC 5322 §4.3).
/// - `February 12, 2022` / `Feb. 12 2022` / `Saturday, February 12, 2022` and `12 February 2022`
///   (full or three-letter month names, `Sept` too), each optionally followed by a time (with `AM`/`PM`)
///   and a zone as above.
/// - Reuters-21578: `26-FEB-1987 15:02:20.00` (day-month-year joined by `-`).
/// A bad date gives nil: anything else, a day that does not exist (`2022-02-30`, `1993-04-31`), or a
/// moment outside the years 1000–9999 (UTC). `check` says which.
public enum DateParser {
    /// What reading a date gave.
    public enum Outcome: Equatable, Sendable {
        case date(Int64)
        /// None of the accepted forms.
        case unparseable
        /// The form is right but the day does not exist (`1993-02-29`, `1993-04-31`).
        case noSuchDay
        /// A real moment, but outside the years 1000–9999 (UTC).
        case outOfRange

        public var seconds: Int64? {
            if case .date(let v) = self { return v }
            return nil
        }

        /// Why a date is bad, for a warning (`unparseable date "…"`); nil for a good date.
        public func problem(_ text: String) -> String? {
            switch self {
            case .date: return nil
            case .unparseable: return "unparseable date \"\(text)\""
            case .noSuchDay: return "date \"\(text)\" names a day that does not exist"
            case .outOfRange: return "date \"\(text)\" is outside the years 1000–9999"
            }
        }
    }

    /// Parse a date; nil when it is bad (see `check`).
    public static func parse(_ s: String) -> Int64? {
        var copy = s
        return copy.withUTF8 { parse(bytes: $0) }
    }

    /// Parse a date; nil when it is bad (see `check`).
    public static func parse(_ s: Substring) -> Int64? {
        var copy = s
        return copy.withUTF8 { parse(bytes: $0) }
    }

    /// Parse a date from UTF-8 bytes; nil when it is bad.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Int64? { check(bytes: bytes).seconds }

    /// Parse a date from bytes (convenience for `[UInt8]` and slices).
    public static func parse<C: Collection>(utf8 bytes: C) -> Int64? where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// Parse a date and say why when it is bad.
    public static func check(_ s: String) -> Outcome {
        var copy = s
        return copy.withUTF8 { check(bytes: $0) }
    }

    /// Parse a date from UTF-8 bytes and say why when it is bad.
    public static func check(bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var lo = 0, hi = bytes.count
        while lo < hi, isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, isBlank(bytes[hi - 1]) { hi -= 1 }
        if hi - lo < 4 || hi - lo > 200 { return .unparseable }
        var c = Cursor(b: bytes, i: lo, end: hi)
        var v = parseISO(&c)
        var noSuchDay = c.noSuchDay
        if v == nil {
            c = Cursor(b: bytes, i: lo, end: hi)
            v = parseTextual(&c)
            noSuchDay = noSuchDay || c.noSuchDay
        }
        guard let v else { return noSuchDay ? .noSuchDay : .unparseable }
        return CivilDate.isSupported(seconds: v) ? .date(v) : .outOfRange
    }

    /// `2022-02-12T00:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String { CivilDate.isoDateTime(seconds: seconds) }

    /// `2022-02-12` (the UTC day).
    public static func isoDay(_ seconds: Int64) -> String { CivilDate.isoDate(days: CivilDate.day(ofSeconds: seconds)) }

    /// The date a file name holds, only where it plausibly holds one (`name` is the last path component;
    /// a directory part is ignored): a year 1000–2999, optionally followed by `-MM` or `-MM-DD` naming a
    /// month or day that exists, then `-`, `_`, `.`, a space, or the end of the name — but a name that is
    /// nothing but the four digits (`1993`, like the Usenet post `9141`) is not a date. The first day of
    /// the period, 00:00 UTC: `1789-Washington.txt` → 1789-01-01, `2022-02-12-uk-defence.txt` → 2022-02-12,
    /// `1999_report.txt` → 1999-01-01, `1993.txt` → 1993-01-01; nil for `9141`, `12345.txt`, `3000-x.txt`.
    /// A month or day part that does not exist is not taken (`2021-13-x.txt` → 2021-01-01).
    public static func fileNameDate(_ path: String) -> Int64? {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        let b = Array(name.utf8)
        /// True when a date part ending at `i` is followed by a separator or the end of the name.
        func endsAt(_ i: Int) -> Bool {
            i == b.count || b[i] == 45 || b[i] == 95 || b[i] == 46 || b[i] == 32  // - _ . space
        }
        guard let y = CivilDate.digits(b, 0, 4), y >= 1000, y <= 2999, endsAt(4), b.count > 4 else { return nil }
        var m = 1, d = 1
        if b[4] == 45, let mm = CivilDate.digits(b, 5, 2), (1...12).contains(mm), endsAt(7) {
            m = mm
            if b.count > 7, b[7] == 45, let dd = CivilDate.digits(b, 8, 2), endsAt(10),
               CivilDate.isValid(year: y, month: m, day: dd) {
                d = dd
            }
        }
        return CivilDate.days(year: y, month: m, day: d) * CivilDate.secondsPerDay
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

    // MARK: - Parsing

    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i: Int
        let end: Int
        /// Set when a date of the right form names a day that does not exist.
        var noSuchDay = false
        var atEnd: Bool { i >= end }
        var peek: UInt8 { i < end ? b[i] : 0 }
        func peek(_ k: Int) -> UInt8 { i + k < end ? b[i + k] : 0 }
        mutating func skipSpaces() { while i < end, b[i] == 32 || b[i] == 9 { i += 1 } }
        /// Reads exactly `n` digits.
        mutating func digits(_ n: Int) -> Int? {
            guard i + n <= end else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard isDigit(c) else { return nil }
                v = v * 10 + Int(c - 48)
            }
            i += n
            return v
        }
        /// Reads 1...max digits; returns value and count.
        mutating func number(max: Int = 9) -> (Int, Int)? {
            var v = 0, n = 0
            while i < end, isDigit(b[i]), n < max { v = v * 10 + Int(b[i] - 48); i += 1; n += 1 }
            if n == 0 { return nil }
            if i < end, isDigit(b[i]) { return nil }
            return (v, n)
        }
        /// Reads a run of ASCII letters (packed lowercase, see `Word`).
        mutating func letters() -> Word {
            var w = Word()
            while i < end, isAlpha(b[i]) {
                if w.count < 9 { w.packed = w.packed << 7 | UInt64(b[i] | 0x20) }
                w.count += 1
                i += 1
            }
            return w
        }
        mutating func eat(_ c: UInt8) -> Bool {
            if i < end, b[i] == c { i += 1; return true }
            return false
        }
    }

    /// Up to 9 lowercase ASCII letters packed 7 bits each; `count` is the true length.
    struct Word: Equatable {
        var packed: UInt64 = 0
        var count = 0
        init() {}
        init(_ s: String) {
            for c in s.utf8 { if count < 9 { packed = packed << 7 | UInt64(c | 0x20) }; count += 1 }
        }
        var isEmpty: Bool { count == 0 }
        /// The first three letters.
        var prefix3: Word {
            guard count > 3 else { return self }
            var w = Word()
            w.count = 3
            w.packed = packed >> (7 * UInt64(min(count, 9) - 3))
            return w
        }
    }

    private static func seconds(_ c: inout Cursor, _ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, offset: Int) -> Int64? {
        guard (1...12).contains(mo), d >= 1, d <= 31 else { return nil }
        guard CivilDate.isValid(year: y, month: mo, day: d) else { c.noSuchDay = true; return nil }
        guard (0...24).contains(h), (0...59).contains(mi), (0...60).contains(s) else { return nil }
        if h == 24 && (mi != 0 || s != 0) { return nil }
        return CivilDate.days(year: y, month: mo, day: d) * CivilDate.secondsPerDay + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
    }

    /// ISO 8601 (extended format).
    private static func parseISO(_ c: inout Cursor) -> Int64? {
        guard let y = c.digits(4) else { return nil }
        if c.atEnd { return seconds(&c, y, 1, 1, 0, 0, 0, offset: 0) }
        guard c.eat(45) /* - */, let mo = c.digits(2) else { return nil }
        if c.atEnd { return seconds(&c, y, mo, 1, 0, 0, 0, offset: 0) }
        guard c.eat(45), let d = c.digits(2) else { return nil }
        if c.atEnd { return seconds(&c, y, mo, d, 0, 0, 0, offset: 0) }
        let sep = c.peek
        guard sep == 84 || sep == 116 || sep == 32 else { return nil }  // T t space
        c.i += 1
        if sep == 32 { c.skipSpaces() }
        guard let (h, mi, s) = parseTime(&c, allowAMPM: false) else { return nil }
        guard let offset = parseZone(&c, isoStyle: true, afterTime: true) else { return nil }
        guard c.atEnd else { return nil }
        return seconds(&c, y, mo, d, h, mi, s, offset: offset)
    }

    /// `HH:MM[:SS[.fff]]`, optionally followed by AM/PM.
    private static func parseTime(_ c: inout Cursor, allowAMPM: Bool) -> (Int, Int, Int)? {
        guard let (hh, hn) = c.number(max: 2), hn >= 1 else { return nil }
        var h = hh
        guard c.eat(58), let mi = c.digits(2) else { return nil }
        var s = 0
        if c.peek == 58 {
            c.i += 1
            guard let ss = c.digits(2) else { return nil }
            s = ss
            if c.peek == 46 || c.peek == 44 {  // fraction, truncated
                guard isDigit(c.peek(1)) else { return nil }
                c.i += 1
                while !c.atEnd, isDigit(c.peek) { c.i += 1 }
            }
        }
        if allowAMPM {
            let save = c.i
            c.skipSpaces()
            let w = c.letters()
            if w == wAM || w == wPM {
                guard h >= 1 && h <= 12 else { return nil }
                if w == wAM { if h == 12 { h = 0 } } else if h != 12 { h += 12 }
            } else {
                c.i = save
            }
        }
        return (h, mi, s)
    }

    /// Zone at the cursor: `Z`, `±hh:mm`, `±hhmm`, `±hh`, or (after a blank) a zone name / numeric offset,
    /// optionally followed by a parenthesized comment. Returns the offset in seconds east of UTC (0 when
    /// there is no zone), nil when something unparseable follows. After a time (`afterTime`), an alphabetic
    /// name of 1–5 letters that is none of the listed ones (`IDT`, `NZST`, `CET`) counts as `-0000`, i.e.
    /// UTC (RFC 5322 §4.3); without a time only the listed names are zones.
    private static func parseZone(_ c: inout Cursor, isoStyle: Bool, afterTime: Bool) -> Int? {
        if c.atEnd { return 0 }
        if isoStyle && (c.peek == 90 || c.peek == 122) && c.i + 1 == c.end { c.i += 1; return 0 }  // Z
        c.skipSpaces()
        if c.atEnd { return 0 }
        var offset = 0
        let ch = c.peek
        if ch == 43 || ch == 45 {  // + -
            c.i += 1
            guard let hh = c.digits(2) else { return nil }
            var mm = 0
            if c.peek == 58 { c.i += 1; guard let m = c.digits(2) else { return nil }; mm = m }
            else if isDigit(c.peek) { guard let m = c.digits(2) else { return nil }; mm = m }
            guard hh <= 23, mm <= 59 else { return nil }
            offset = (hh * 3600 + mm * 60) * (ch == 45 ? -1 : 1)
        } else if isAlpha(ch) {
            let w = c.letters()
            if let k = zoneWords.firstIndex(of: w) {
                offset = zoneOffsets[k] * 3600
            } else {
                guard afterTime, w.count <= 5 else { return nil }
                offset = 0
            }
        } else if ch != 40 {
            return nil
        }
        c.skipSpaces()
        if c.peek == 40 {  // (comment)
            while !c.atEnd, c.peek != 41 { c.i += 1 }
            guard c.eat(41) else { return nil }
            c.skipSpaces()
        }
        return c.atEnd ? offset : nil
    }

    private static let monthWords: [Word] = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ].map(Word.init)
    private static let monthAbbrevs: [Word] = monthWords.map { $0.prefix3 }
    private static let weekdayWords: [Word] =
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tues", "thur", "thurs"].map(Word.init)
    private static let weekdayAbbrevs: [Word] = weekdayWords.map { $0.prefix3 }
    private static let zoneWords: [Word] = ["z", "gmt", "ut", "utc", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"].map(Word.init)
    private static let zoneOffsets: [Int] = [0, 0, 0, 0, -5, -4, -6, -5, -7, -6, -8, -7]
    private static let wAM = Word("am"), wPM = Word("pm"), wAt = Word("at"), wSept = Word("sept")
    private static let suffixWords: [Word] = ["st", "nd", "rd", "th"].map(Word.init)

    private static func month(_ w: Word) -> Int? {
        if w.count == 3, let k = monthAbbrevs.firstIndex(of: w) { return k + 1 }
        if w.count > 3, let k = monthWords.firstIndex(of: w) { return k + 1 }
        if w == wSept { return 9 }
        return nil
    }

    private static func isWeekday(_ w: Word) -> Bool {
        if w.count == 3 { return weekdayAbbrevs.contains(w) }
        return w.count > 3 && weekdayWords.contains(w)
    }

    private static func fullYear(_ v: Int, digits: Int) -> Int? {
        switch digits {
        case 1, 2: return v < 50 ? 2000 + v : 1900 + v
        case 3: return 1900 + v
        case 4: return v
        default: return nil
        }
    }

    /// RFC 2822-style, `February 12, 2022`, `12 February 2022`, Reuters' `26-FEB-1987 15:02:20.00`.
    private static func parseTextual(_ c: inout Cursor) -> Int64? {
        var d = 0, mo = 0, y = 0
        if isAlpha(c.peek) {
            var w = c.letters()
            if isWeekday(w) {
                _ = c.eat(46)  // "Tue."
                c.skipSpaces()
                _ = c.eat(44)
                c.skipSpaces()
                if isAlpha(c.peek) { w = c.letters() } else { w = Word() }
            }
            if w.isEmpty {
                // weekday then day-first
                guard let r = dayFirst(&c) else { return nil }
                (d, mo, y) = r
            } else {
                // month-first: February 12, 2022
                guard let m = month(w) else { return nil }
                mo = m
                _ = c.eat(46)
                c.skipSpaces()
                guard let (dd, dn) = c.number(max: 2), dn >= 1 else { return nil }
                d = dd
                // ordinal suffixes: 12th, 1st, 2nd, 3rd
                if isAlpha(c.peek) {
                    guard suffixWords.contains(c.letters()) else { return nil }
                }
                c.skipSpaces()
                _ = c.eat(44)
                c.skipSpaces()
                guard let (yy, yn) = c.number(max: 4), let fy = fullYear(yy, digits: yn) else { return nil }
                y = fy
            }
        } else {
            guard let r = dayFirst(&c) else { return nil }
            (d, mo, y) = r
        }
        // optional time
        var h = 0, mi = 0, s = 0
        var hasTime = false
        c.skipSpaces()
        if c.eat(44) { c.skipSpaces() }  // "February 12, 2022, 10:30"
        if isDigit(c.peek) {
            guard let t = parseTime(&c, allowAMPM: true) else { return nil }
            (h, mi, s) = t
            hasTime = true
        } else if !c.atEnd {
            // "at" between date and time
            let save = c.i
            let w = c.letters()
            if w == wAt { c.skipSpaces(); guard let t = parseTime(&c, allowAMPM: true) else { return nil }; (h, mi, s) = t; hasTime = true }
            else { c.i = save }
        }
        guard let offset = parseZone(&c, isoStyle: false, afterTime: hasTime) else { return nil }
        return seconds(&c, y, mo, d, h, mi, s, offset: offset)
    }

    /// `05 Apr 93`, `2 Apr 1993`, `12 February 2022`, `26-FEB-1987`, `12. Feb 2022`.
    private static func dayFirst(_ c: inout Cursor) -> (Int, Int, Int)? {
        guard let (d, dn) = c.number(max: 2), dn >= 1 else { return nil }
        let dash = c.eat(45)
        if !dash { _ = c.eat(46); c.skipSpaces() }
        guard let mo = month(c.letters()) else { return nil }
        if dash { guard c.eat(45) else { return nil } } else { _ = c.eat(46); c.skipSpaces(); _ = c.eat(44); c.skipSpaces() }
        guard let (yy, yn) = c.number(max: 4), let y = fullYear(yy, digits: yn) else { return nil }
        return (d, mo, y)
    }
}
