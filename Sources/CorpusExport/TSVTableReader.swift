#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads lines from a file descriptor with a large buffer; a line is handed out without its `\n`
/// (and without a trailing `\r`).
final class LineReader {
    private let fd: Int32
    private let path: String
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0, end = 0
    private var eof = false
    private(set) var lineNumber = 0

    init(path: String, bufferBytes: Int = 1 << 20) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw ExportError.io(path: path, operation: "open", errno: errno) }
        self.fd = fd
        self.path = path
        self.capacity = bufferBytes
        self.buffer = .allocate(capacity: bufferBytes)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Calls `body` with the next line; returns false at the end of the file.
    func next(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        while true {
            if let nl = memchr(buffer + start, 10, end - start) {
                let lineEnd = buffer.distance(to: nl.assumingMemoryBound(to: UInt8.self))
                var e = lineEnd
                if e > start && buffer[e - 1] == 13 { e -= 1 }
                lineNumber += 1
                let s = start
                start = lineEnd + 1
                try body(UnsafeBufferPointer(start: buffer + s, count: e - s))
                return true
            }
            if eof {
                guard end > start else { return false }
                var e = end
                if buffer[e - 1] == 13 { e -= 1 }
                lineNumber += 1
                let s = start
                start = end
                try body(UnsafeBufferPointer(start: buffer + s, count: e - s))
                return true
            }
            // Move the partial line to the front, grow if it fills the buffer, read more.
            if start > 0 {
                let n = end - start
                if n > 0 { memmove(buffer, buffer + start, n) }
                start = 0
                end = n
            }
            if end == capacity {
                let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                nb.update(from: buffer, count: end)
                buffer.deallocate()
                buffer = nb
                capacity *= 2
            }
            let r = read(fd, buffer + end, capacity - end)
            if r < 0 {
                if errno == EINTR { continue }
                throw ExportError.io(path: path, operation: "read", errno: errno)
            }
            if r == 0 { eof = true } else { end += r }
        }
    }
}

/// Reading tables in CorpusKit's TSV (header line, tab-separated rows, `TSVEscaping`, `\N` = null)
/// back in — the engine of `corpuskit convert`.
public enum TSVTable {
    /// Column names that are always text (a term may look like a number: `1987`, `3.14`, `nan`).
    public static let stringColumnNames: Set<String> = ["term", "ngram", "term1", "term2", "period", "id", "doc_id", "title", "source", "word", "collocate", "node"]
    /// Types used for known CorpusKit columns when a column has no values to infer from.
    public static let typeHints: [String: ColumnType] = [
        "count": .int64, "docs": .int64, "rank": .int64, "tokens": .int64, "types": .int64, "n": .int64,
        "count1": .int64, "count2": .int64, "f1": .int64, "f2": .int64, "documents": .int64, "window": .int64,
        "per_million": .double, "pmi": .double, "npmi": .double, "t_score": .double, "g2": .double, "chi2": .double,
        "dice": .double, "log_dice": .double, "tf_idf": .double, "share": .double, "log_ratio": .double,
        "z": .double, "score": .double, "slope": .double, "ratio": .double, "burst": .double,
        "period_start": .date,
    ]

    struct Inference {
        var canInt = true, canDouble = true, canDate = true, hasFinite = false
        var values = 0, nulls = 0
    }

    /// The columns of a TSV table: names from the header, types inferred from every value —
    /// `int64` when all values are decimal integers that fit 64 bits; `double` when all parse as
    /// decimal floating point (or `inf`, `-inf`, `nan`, with at least one finite value); `date` for
    /// a column named `period_start` or ending in `_date` whose values are all `YYYY-MM-DD`; else
    /// `string`. Columns in `stringColumnNames` or `forceString` stay strings. A column with a `\N`
    /// value is nullable. A column without values takes its type from `typeHints` (else string).
    public static func inferColumns(path: String, forceString: Set<String> = []) throws -> (columns: [Column], rows: Int) {
        let reader = try LineReader(path: path)
        var names: [String] = []
        guard try reader.next({ line in
            names = split(line).map { String(decoding: TSVEscaping.unescape($0), as: UTF8.self) }
        }) else {
            throw ExportError.input("\(path):1: empty file (a TSV table needs a header line)")
        }
        var inf = Array(repeating: Inference(), count: names.count)
        var rows = 0
        var ranges: [Range<Int>] = []
        while try reader.next({ line in
            splitFields(line, into: &ranges)
            guard ranges.count == names.count else {
                throw ExportError.input("\(path):\(reader.lineNumber): \(ranges.count) fields, the header has \(names.count)")
            }
            for (i, r) in ranges.enumerated() {
                let f = UnsafeBufferPointer(rebasing: line[r])
                if f.count == 2 && f[0] == 92 && f[1] == 78 { inf[i].nulls += 1; continue }
                inf[i].values += 1
                if inf[i].canInt && !isInteger(f) { inf[i].canInt = false }
                if inf[i].canDouble {
                    switch classifyDouble(f) {
                    case .finite: inf[i].hasFinite = true
                    case .special: break
                    case .no: inf[i].canDouble = false
                    }
                }
                if inf[i].canDate && DayDate.parse(f) == nil { inf[i].canDate = false }
            }
        }) { rows += 1 }

        var columns: [Column] = []
        for (i, name) in names.enumerated() {
            let x = inf[i]
            var type: ColumnType = .string
            let dateName = name == "period_start" || name.hasSuffix("_date")
            if stringColumnNames.contains(name) || forceString.contains(name) {
                type = .string
            } else if x.values == 0 {
                type = typeHints[name] ?? (dateName ? .date : .string)
            } else if dateName && x.canDate {
                type = .date
            } else if x.canInt {
                type = .int64
            } else if x.canDouble && x.hasFinite {
                type = .double
            }
            columns.append(Column(name, type, nullable: x.nulls > 0))
        }
        return (columns, rows)
    }

    /// Streams the rows of the TSV at `path` into `writer` with the given column types (from
    /// `inferColumns`); returns the number of rows. Does not call `finish()`.
    @discardableResult
    public static func copy(path: String, columns: [Column], into writer: TableWriter) throws -> Int {
        let reader = try LineReader(path: path)
        _ = try reader.next { _ in }  // header
        var rows = 0
        var row = [Cell](repeating: .null, count: columns.count)
        var ranges: [Range<Int>] = []
        while try reader.next({ line in
            splitFields(line, into: &ranges)
            guard ranges.count == columns.count else {
                throw ExportError.input("\(path):\(reader.lineNumber): \(ranges.count) fields, the header has \(columns.count)")
            }
            for (i, r) in ranges.enumerated() {
                let f = UnsafeBufferPointer(rebasing: line[r])
                if f.count == 2 && f[0] == 92 && f[1] == 78 { row[i] = .null; continue }
                var where_: String { "\(path):\(reader.lineNumber)" }
                switch columns[i].type {
                case .string:
                    if f.contains(92) {
                        row[i] = .string(String(decoding: TSVEscaping.unescape(Array(f)[...]), as: UTF8.self))
                    } else {
                        row[i] = .string(String(decoding: f, as: UTF8.self))
                    }
                case .int64:
                    guard let v = parseInt(f) else { throw ExportError.input("\(where_): column '\(columns[i].name)': not an integer") }
                    row[i] = .int(v)
                case .double:
                    guard classifyDouble(f) != .no, let v = parseDouble(f) else {
                        throw ExportError.input("\(where_): column '\(columns[i].name)': not a number")
                    }
                    row[i] = .double(v)
                case .date:
                    guard let d = DayDate.parse(f) else { throw ExportError.input("\(where_): column '\(columns[i].name)': not a YYYY-MM-DD date") }
                    row[i] = .date(d)
                }
            }
            do {
                try writer.write(row)
            } catch let e as ExportError {
                throw ExportError.input("\(path):\(reader.lineNumber): \(e)")
            }
        }) { rows += 1 }
        return rows
    }

    /// Fields of one line, split on tabs (still escaped).
    static func split(_ line: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>] {
        let a = Array(line)
        return a.split(separator: 9, omittingEmptySubsequences: false)
    }

    /// The byte ranges of the tab-separated fields of `line`.
    @inline(__always)
    static func splitFields(_ line: UnsafeBufferPointer<UInt8>, into ranges: inout [Range<Int>]) {
        ranges.removeAll(keepingCapacity: true)
        var start = 0
        guard let base = line.baseAddress, line.count > 0 else { ranges.append(0..<0); return }
        while let p = memchr(base + start, 9, line.count - start) {
            let i = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
            ranges.append(start..<i)
            start = i + 1
        }
        ranges.append(start..<line.count)
    }

    /// strtod on a NUL-terminated copy (call after `classifyDouble` accepted the text).
    static func parseDouble(_ f: UnsafeBufferPointer<UInt8>) -> Double? {
        guard f.count < 400 else { return Double(String(decoding: f, as: UTF8.self)) }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: f.count + 1) { buf in
            for i in 0..<f.count { buf[i] = CChar(bitPattern: f[i]) }
            buf[f.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(buf.baseAddress!, &end)
            return end == buf.baseAddress! + f.count ? v : nil
        }
    }

    static func isInteger<C: Collection<UInt8>>(_ f: C) -> Bool where C.Index == Int { parseInt(f) != nil }

    static func parseInt<C: Collection<UInt8>>(_ f: C) -> Int64? where C.Index == Int {
        var i = f.startIndex
        var neg = false
        if i < f.endIndex && (f[i] == 45 || f[i] == 43) { neg = f[i] == 45; i += 1 }
        guard i < f.endIndex else { return nil }
        var v: Int64 = 0
        while i < f.endIndex {
            let c = f[i]
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = neg ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    enum DoubleKind { case finite, special, no }

    /// Strict decimal floating point: `[+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?`, or
    /// `inf`, `-inf`, `+inf`, `nan` (as Swift prints them).
    static func classifyDouble<C: Collection<UInt8>>(_ f: C) -> DoubleKind where C.Index == Int, C.SubSequence: Collection<UInt8> {
        var i = f.startIndex
        let e = f.endIndex
        if i < e && (f[i] == 45 || f[i] == 43) { i += 1 }
        if i < e && (f[i] == 105 || f[i] == 110) {  // 'i' or 'n'
            let rest = f[i..<e]
            if rest.elementsEqual("inf".utf8) || rest.elementsEqual("nan".utf8) || rest.elementsEqual("infinity".utf8) { return .special }
            return .no
        }
        var digits = 0
        while i < e && f[i] >= 48 && f[i] <= 57 { i += 1; digits += 1 }
        if i < e && f[i] == 46 {
            i += 1
            while i < e && f[i] >= 48 && f[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return .no }
        if i < e && (f[i] == 101 || f[i] == 69) {
            i += 1
            if i < e && (f[i] == 45 || f[i] == 43) { i += 1 }
            var ed = 0
            while i < e && f[i] >= 48 && f[i] <= 57 { i += 1; ed += 1 }
            guard ed > 0 else { return .no }
        }
        return i == e ? .finite : .no
    }
}
