import CorpusCore

/// Something bytes can be appended to: the buffered file/stdout sink, or an in-memory array.
protocol ByteAppender {
    mutating func put(_ byte: UInt8) throws
    mutating func put(_ bytes: UnsafeRawBufferPointer) throws
}

extension ByteSink: ByteAppender {
    @inline(__always) func put(_ byte: UInt8) throws { try append(byte) }
    @inline(__always) func put(_ bytes: UnsafeRawBufferPointer) throws { try append(bytes) }
}

/// An in-memory `ByteAppender` (tests, headers, small encodings).
struct ByteArray: ByteAppender {
    var bytes: [UInt8] = []
    @inline(__always) mutating func put(_ byte: UInt8) { bytes.append(byte) }
    @inline(__always) mutating func put(_ p: UnsafeRawBufferPointer) { bytes.append(contentsOf: p) }
    var string: String { String(decoding: bytes, as: UTF8.self) }
}

extension ByteAppender {
    @inline(__always) mutating func put(_ s: String) throws {
        var s = s
        try s.withUTF8 { try put(UnsafeRawBufferPointer($0)) }
    }
    @inline(__always) mutating func put(_ a: [UInt8]) throws {
        try a.withUnsafeBytes { try put($0) }
    }
}

// MARK: - Numbers

/// Number formatting shared by the text sinks.
public enum NumberFormat {
    /// The shortest decimal text that reads back to the same double (Swift's `description`, which
    /// Python's `float()`, pandas, polars and DuckDB parse to the identical value): `5.0`, `0.1`,
    /// `1e-05`, `1.2345678901234568e+17`, `-0.0`; non-finite values as `inf`, `-inf`, `nan`.
    public static func shortest(_ d: Double) -> String { d.description }

    /// JSON form: shortest round-trip, non-finite values as `null`.
    public static func json(_ d: Double) -> String { d.isFinite ? d.description : "null" }

    /// A readable form for terminal tables: 4 decimals for magnitudes in [1e-4, 1e15) (and 0),
    /// else scientific with 4 significant digits; non-finite as `inf`, `-inf`, `nan`.
    public static func readable(_ d: Double) -> String {
        guard d.isFinite else { return d.description }
        let a = abs(d)
        if a == 0 { return "0" }
        if a >= 1e-4 && a < 1e15 { return fixed(d, decimals: 4) }
        return scientific(d, significant: 4)
    }

    /// `d` with exactly `decimals` digits after the point (round half to even on the binary value).
    public static func fixed(_ d: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(d) * scale).rounded(.toNearestOrEven)
        if scaled >= 9.0e18 { return d.description }
        let n = UInt64(scaled)
        let ip = n / UInt64(scale), fp = n % UInt64(scale)
        var frac = String(fp)
        while frac.count < decimals { frac = "0" + frac }
        let sign = (d < 0 && n != 0) ? "-" : ""
        return decimals == 0 ? "\(sign)\(ip)" : "\(sign)\(ip).\(frac)"
    }

    /// `d` in scientific notation with `significant` digits, e.g. `1.235e-07`.
    public static func scientific(_ d: Double, significant: Int) -> String {
        guard d.isFinite, d != 0 else { return d.description }
        var e = Int(floor(log10(abs(d))))
        var m = abs(d) / pow10(e)
        var digits = fixed(m, decimals: max(0, significant - 1))
        if digits.hasPrefix("10") {  // rounding carried into a new digit
            e += 1
            m = abs(d) / pow10(e)
            digits = fixed(m, decimals: max(0, significant - 1))
        }
        let es = e < 0 ? "-\(pad2(-e))" : "+\(pad2(e))"
        return (d < 0 ? "-" : "") + digits + "e" + es
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    private static func pow10(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }
    private static func floor(_ x: Double) -> Double { x.rounded(.down) }
    private static func log10(_ x: Double) -> Double {
        // Enough for choosing an exponent; corrected by the mantissa check below.
        var e = 0.0
        var v = x
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }

    /// Appends the decimal digits of `v`.
    @inline(__always)
    static func appendInt<O: ByteAppender>(_ v: Int64, to out: inout O) throws {
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch
        try withUnsafeMutableBytes(of: &tmp) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var i = 24
            var u = v < 0 ? UInt64(bitPattern: 0 &- v) : UInt64(v)
            repeat {
                i -= 1
                p[i] = UInt8(truncatingIfNeeded: u % 10) &+ 48
                u /= 10
            } while u != 0
            if v < 0 { i -= 1; p[i] = 45 }
            try out.put(UnsafeRawBufferPointer(start: p + i, count: 24 - i))
        }
    }

    @inline(__always)
    static func appendDouble<O: ByteAppender>(_ d: Double, json: Bool, to out: inout O) throws {
        if !d.isFinite {
            if json { try out.put("null") } else { try out.put(d.description) }
            return
        }
        // The standard library's shortest round-trip digits (what `description` gives, byte for byte),
        // written through `TextOutputStream` into a stack buffer: no `String` per value.
        var digits = DigitBuffer()
        d.write(to: &digits)
        try digits.withBytes { try out.put($0) }
    }
}

/// A `TextOutputStream` of at most 32 ASCII bytes held inline: `Double.write(to:)` hands it its digits
/// through `_writeASCII` without building a `String` (anything else goes through `write(_:)`).
struct DigitBuffer: TextOutputStream {
    private var storage: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
    private var count = 0

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { append(buffer) }

    mutating func write(_ string: String) {
        var s = string
        s.withUTF8 { append($0) }
    }

    @inline(__always)
    private mutating func append(_ buffer: UnsafeBufferPointer<UInt8>) {
        let n = min(buffer.count, 48 - count)
        guard n > 0, let src = buffer.baseAddress else { return }
        let at = count
        withUnsafeMutableBytes(of: &storage) { raw in
            (raw.baseAddress! + at).copyMemory(from: src, byteCount: n)
        }
        count += n
    }

    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: storage) { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }
}

// MARK: - Dates

/// `date` cells: days since 1970-01-01 (Int32, as Parquet's DATE) with CorpusCore's `CivilDate` arithmetic.
public enum DayDate {
    /// Days since 1970-01-01 for a date (month 1–12; check `CivilDate.isValid` for input).
    public static func days(year: Int, month: Int, day: Int) -> Int32 {
        Int32(truncatingIfNeeded: CivilDate.days(year: year, month: month, day: day))
    }

    /// The civil date of a day number.
    public static func civil(_ days: Int32) -> (year: Int, month: Int, day: Int) { CivilDate.civil(days: Int64(days)) }

    /// `YYYY-MM-DD`.
    public static func iso(_ days: Int32) -> String { CivilDate.isoDate(days: Int64(days)) }

    /// Parses exactly `YYYY-MM-DD` (a day that exists); nil otherwise.
    public static func parse(_ s: some Collection<UInt8>) -> Int32? {
        CivilDate.parseDay(s).map { Int32(truncatingIfNeeded: $0) }
    }
}

// MARK: - Escaping

/// TSV cells as CorpusKit writes them: a backslash escape for the four bytes that would break a row
/// or be ambiguous — tab → `\t`, line feed → `\n`, carriage return → `\r`, backslash → `\\` — a
/// double quote that *starts* a cell → `\"` (pandas, polars and DuckDB take a leading `"` as the start
/// of a quoted field and would swallow tabs and lines up to the next quote), and a null cell as `\N`
/// (so the empty string and a null differ). Nothing else is changed.
public enum TSVEscaping {
    public static func escape(_ s: String) -> String {
        var out = ByteArray()
        var s = s
        s.withUTF8 { try! appendEscaped($0, to: &out) }
        return out.string
    }

    /// Inverse of `escape` (unknown escapes are kept as they are). Does not handle `\N` (a whole-cell marker).
    public static func unescape(_ s: String) -> String {
        String(decoding: unescape(Array(s.utf8)[...]), as: UTF8.self)
    }

    static func unescape(_ b: ArraySlice<UInt8>) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var i = b.startIndex
        while i < b.endIndex {
            let c = b[i]
            if c == 92, i + 1 < b.endIndex {
                switch b[i + 1] {
                case 116: out.append(9); i += 2; continue
                case 110: out.append(10); i += 2; continue
                case 114: out.append(13); i += 2; continue
                case 92: out.append(92); i += 2; continue
                case 34: out.append(34); i += 2; continue
                default: break
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }

    @inline(__always)
    static func appendEscaped<O: ByteAppender>(_ p: UnsafeBufferPointer<UInt8>, to out: inout O) throws {
        var start = 0
        let n = p.count
        var i = 0
        if n > 0 && p[0] == 34 {  // a leading quote: `\"`
            try out.put(92)
            try out.put(34)
            start = 1
            i = 1
        }
        while i < n {
            let c = p[i]
            if c == 9 || c == 10 || c == 13 || c == 92 {
                if i > start { try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<i])) }
                try out.put(92)
                try out.put(c == 9 ? 116 : c == 10 ? 110 : c == 13 ? 114 : 92)
                start = i + 1
            }
            i += 1
        }
        if n > start { try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<n])) }
    }
}

/// CSV cells per RFC 4180: a cell is quoted when it contains a comma, a double quote, CR or LF, or is
/// the empty string (so that an empty string, `""`, differs from a null, an empty unquoted cell);
/// quotes inside are doubled. Lines end with LF.
///
/// `safe` (`--csv-safe`): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return —
/// which a spreadsheet would run as a formula — gets a leading `'` (OWASP's advice), so `=SUM(A1)` is
/// written `'=SUM(A1)`. Only text cells: numbers (`-1.5` in a double column) are written as numbers.
public enum CSVEscaping {
    public static func escape(_ s: String, safe: Bool = false) -> String {
        var out = ByteArray()
        var s = s
        s.withUTF8 { try! appendField($0, safe: safe, to: &out) }
        return out.string
    }

    /// True when a spreadsheet would take a cell starting with `byte` as a formula.
    @inline(__always)
    static func startsFormula(_ byte: UInt8) -> Bool {
        byte == 61 || byte == 43 || byte == 45 || byte == 64 || byte == 9 || byte == 13
    }

    @inline(__always)
    static func appendField<O: ByteAppender>(_ p: UnsafeBufferPointer<UInt8>, safe: Bool = false, to out: inout O) throws {
        var needs = p.isEmpty
        if !needs {
            for c in p where c == 44 || c == 34 || c == 10 || c == 13 { needs = true; break }
        }
        let prefix = safe && !p.isEmpty && startsFormula(p[0])
        if !needs {
            if prefix { try out.put(39) }
            try out.put(UnsafeRawBufferPointer(p))
            return
        }
        try out.put(34)
        if prefix { try out.put(39) }
        var start = 0
        for i in 0..<p.count where p[i] == 34 {
            try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start...i]))
            try out.put(34)
            start = i + 1
        }
        if p.count > start { try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<p.count])) }
        try out.put(34)
    }
}

/// JSON strings: `"` and `\` escaped, control characters as `\b \f \n \r \t` or `\u00XX`; all other
/// characters (including non-ASCII) are written as UTF-8.
public enum JSONEscaping {
    /// The quoted JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = ByteArray()
        var s = s
        s.withUTF8 { try! appendQuoted($0, to: &out) }
        return out.string
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    @inline(__always)
    static func appendQuoted<O: ByteAppender>(_ p: UnsafeBufferPointer<UInt8>, to out: inout O) throws {
        try out.put(34)
        var start = 0
        let n = p.count
        for i in 0..<n {
            let c = p[i]
            if c >= 0x20 && c != 34 && c != 92 { continue }
            if i > start { try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<i])) }
            start = i + 1
            try out.put(92)
            switch c {
            case 34: try out.put(34)
            case 92: try out.put(92)
            case 8: try out.put(98)
            case 12: try out.put(102)
            case 10: try out.put(110)
            case 13: try out.put(114)
            case 9: try out.put(116)
            default:
                try out.put(117); try out.put(48); try out.put(48)
                try out.put(hex[Int(c >> 4)]); try out.put(hex[Int(c & 15)])
            }
        }
        if n > start { try out.put(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(p)[start..<n])) }
        try out.put(34)
    }
}

// MARK: - Terminal width

/// Terminal display width: East Asian wide and fullwidth characters (CJK, Hangul, kana, fullwidth
/// forms, most emoji) count 2; combining marks, format characters, zero-width joiners and variation
/// selectors count 0; everything else 1.
public enum DisplayWidth {
    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += of(u) }
        return w
    }

    public static func of(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7F && v < 0xA0) ? 0 : 1 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B || (0xFE00...0xFE0F).contains(v) || (0x1F3FB...0x1F3FF).contains(v) || (0xE0100...0xE01EF).contains(v) { return 0 }
        if (0x1160...0x11FF).contains(v) { return 0 }  // Hangul medial vowels / final consonants
        if isWide(v) { return 2 }
        return 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F320,
             0x1F32D...0x1F335, 0x1F337...0x1F37C, 0x1F37E...0x1F393, 0x1F3A0...0x1F3CA,
             0x1F3CF...0x1F3D3, 0x1F3E0...0x1F3F0, 0x1F3F4, 0x1F3F8...0x1F43E, 0x1F440,
             0x1F442...0x1F4FC, 0x1F4FF...0x1F53D, 0x1F54B...0x1F54E, 0x1F550...0x1F567, 0x1F57A,
             0x1F595...0x1F596, 0x1F5A4, 0x1F5FB...0x1F64F, 0x1F680...0x1F6C5, 0x1F6CC, 0x1F6D0...0x1F6D2,
             0x1F6D5...0x1F6D7, 0x1F6EB...0x1F6EC, 0x1F6F4...0x1F6FC, 0x1F7E0...0x1F7EB,
             0x1F90C...0x1F93A, 0x1F93C...0x1F945, 0x1F947...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// `s` cut to at most `width` columns, ending in `…` when cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        var out = ""
        var w = 0
        for ch in s {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
