/// Date parsing and formatting for documents (SPEC.md "Documents"), in pure Swift calendar arithmetic
/// (proleptic Gregorian calendar, days-from-civil); no Foundation `DateFormatter` (slow, locale-dependent).
///
/// Every result is UTC seconds since 1970-01-01T00:00:00Z. Accepted forms (leading/trailing blanks ignored,
/// month and weekday names in English, any letter case):
/// - ISO 8601: `2022-02-12`, `2022-02`, `2022`, `2022-02-12T10:30`, `2022-02-12T10:30:15.250Z`,
///   `2022-02-12 10:30:15+05:30` / `+0530` / `+05`; the `T` may be a space; no zone = UTC; a zone name
///   after a space is accepted too (`2022-02-12 10:30:00 UTC`). Fractions of a second are truncated.
/// - RFC 2822/5322 (e-mail, Usenet, RSS): `Mon, 05 Apr 93 18:01:16 GMT`, `2 Apr 1993 21:22:59 -0400`,
///   weekday optional, seconds optional, a trailing `(comment)` ignored; two-digit years 00–49 → 20xx,
///   50–99 → 19xx, three-digit years + 1900 (RFC 5322 obsolete syntax); zones GMT, UT, UTC, Z, EST, EDT,
///   CST, CDT, MST, MDT, PST, PDT and numeric `±hhmm`; no zone = UTC. Other zone names are rejected.
/// - `February 12, 2022` / `Feb. 12 2022` / `Saturday, February 12, 2022` and `12 February 2022`
///   (full or three-letter month names, `Sept` too), each optionally followed by a time (with `AM`/`PM`)
///   and a zone as above.
/// - Reuters-21578: `26-FEB-1987 15:02:20.00` (day-month-year joined by `-`).
/// Anything else (or an impossible calendar date such as `2022-02-30`) gives nil.
public enum DateParser {
    /// Parse a date; nil when it is not one of the accepted forms.
    public static func parse(_ s: String) -> Int64? {
        var copy = s
        return copy.withUTF8 { parse(bytes: $0) }
    }

    /// Parse a date; nil when it is not one of the accepted forms.
    public static func parse(_ s: Substring) -> Int64? {
        var copy = s
        return copy.withUTF8 { parse(bytes: $0) }
    }

    /// Parse a date from UTF-8 bytes.
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var lo = 0, hi = bytes.count
        while lo < hi, isBlank(bytes[lo]) { lo += 1 }
        while hi > lo, isBlank(bytes[hi - 1]) { hi -= 1 }
        if hi - lo < 4 || hi - lo > 200 { return nil }
        var c = Cursor(b: bytes, i: lo, end: hi)
        if let v = parseISO(&c) { return v }
        c = Cursor(b: bytes, i: lo, end: hi)
        return parseTextual(&c)
    }

    /// Parse a date from bytes (convenience for `[UInt8]` and slices).
    public static func parse<C: Collection>(utf8 bytes: C) -> Int64? where C.Element == UInt8 {
        if let r = bytes.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return r }
        return Array(bytes).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// `2022-02-12T00:00:00Z`.
    public static func iso8601(_ seconds: Int64) -> String {
        let (days, secs) = floorDivMod(seconds, 86_400)
        let (y, m, d) = civilFromDays(days)
        var out = yearString(y)
        out += "-" + pad2(m) + "-" + pad2(d) + "T"
        out += pad2(Int(secs / 3600)) + ":" + pad2(Int(secs / 60 % 60)) + ":" + pad2(Int(secs % 60)) + "Z"
        return out
    }

    /// `2022-02-12` (the UTC day).
    public static func isoDay(_ seconds: Int64) -> String {
        let (days, _) = floorDivMod(seconds, 86_400)
        let (y, m, d) = civilFromDays(days)
        return yearString(y) + "-" + pad2(m) + "-" + pad2(d)
    }

    /// The date at the start of a file name: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` followed by a non-digit
    /// (or the end of the name), as in `1789-Washington.txt` (→ 1789-01-01T00:00:00Z) or
    /// `2021-03-04_report.txt`; the first day of the period, 00:00 UTC. `name` is the last path
    /// component (a directory part is ignored). Nil when the name does not start that way.
    public static func fileNameDate(_ path: String) -> Int64? {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        let b = Array(name.utf8)
        func digits(_ from: Int, _ n: Int) -> Int? {
            guard from + n <= b.count else { return nil }
            var v = 0
            for k in from..<(from + n) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        func nonDigitAt(_ i: Int) -> Bool { i >= b.count || !(b[i] >= 48 && b[i] <= 57) }
        guard let y = digits(0, 4), nonDigitAt(4) else { return nil }
        var m = 1, d = 1
        if b.count >= 7, b[4] == 45, let mm = digits(5, 2), nonDigitAt(7), (1...12).contains(mm) {
            m = mm
            if b.count >= 10, b[7] == 45, let dd = digits(8, 2), nonDigitAt(10), dd >= 1, dd <= daysInMonth(y, m) {
                d = dd
            }
        }
        return daysFromCivil(y, m, d) * 86_400
    }

    // MARK: - Calendar arithmetic (H. Hinnant's days_from_civil / civil_from_days)

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    private static func yearString(_ y: Int) -> String {
        if y < 0 { return "-" + yearString(-y) }
        let s = String(y)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }
    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    @inline(__always) static func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

    // MARK: - Parsing

    struct Cursor {
        let b: UnsafeBufferPointer<UInt8>
        var i: Int
        let end: Int
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

    private static func seconds(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, offset: Int) -> Int64? {
        guard (1...12).contains(mo), d >= 1, d <= daysInMonth(y, mo) else { return nil }
        guard (0...24).contains(h), (0...59).contains(mi), (0...60).contains(s) else { return nil }
        if h == 24 && (mi != 0 || s != 0) { return nil }
        return daysFromCivil(y, mo, d) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
    }

    /// ISO 8601 (extended format).
    private static func parseISO(_ c: inout Cursor) -> Int64? {
        guard let y = c.digits(4) else { return nil }
        if c.atEnd { return seconds(y, 1, 1, 0, 0, 0, offset: 0) }
        guard c.eat(45) /* - */, let mo = c.digits(2) else { return nil }
        if c.atEnd { return seconds(y, mo, 1, 0, 0, 0, offset: 0) }
        guard c.eat(45), let d = c.digits(2) else { return nil }
        if c.atEnd { return seconds(y, mo, d, 0, 0, 0, offset: 0) }
        let sep = c.peek
        guard sep == 84 || sep == 116 || sep == 32 else { return nil }  // T t space
        c.i += 1
        if sep == 32 { c.skipSpaces() }
        guard let (h, mi, s) = parseTime(&c, allowAMPM: false) else { return nil }
        guard let offset = parseZone(&c, isoStyle: true) else { return nil }
        guard c.atEnd else { return nil }
        return seconds(y, mo, d, h, mi, s, offset: offset)
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
    /// there is no zone), nil when something unparseable follows.
    private static func parseZone(_ c: inout Cursor, isoStyle: Bool) -> Int? {
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
            guard let k = zoneWords.firstIndex(of: w) else { return nil }
            offset = zoneOffsets[k] * 3600
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
        c.skipSpaces()
        if c.eat(44) { c.skipSpaces() }  // "February 12, 2022, 10:30"
        if isDigit(c.peek) {
            guard let t = parseTime(&c, allowAMPM: true) else { return nil }
            (h, mi, s) = t
        } else if !c.atEnd {
            // "at" between date and time
            let save = c.i
            let w = c.letters()
            if w == wAt { c.skipSpaces(); guard let t = parseTime(&c, allowAMPM: true) else { return nil }; (h, mi, s) = t }
            else { c.i = save }
        }
        guard let offset = parseZone(&c, isoStyle: false) else { return nil }
        return seconds(y, mo, d, h, mi, s, offset: offset)
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
