import CorpusCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming table sink. Write rows in order, then `finish()` (which renames the temporary file into
/// place), or `abandon()` (which removes it). A writer that is neither finished nor abandoned removes
/// its temporary file when it is deinitialized and at process exit or SIGINT/SIGTERM/SIGHUP.
public protocol TableWriter: AnyObject {
    /// The table's columns.
    var columns: [Column] { get }
    /// Rows written so far.
    var rowCount: Int { get }
    /// Appends one row: exactly one cell per column, each matching its column's type.
    func write(_ row: [Cell]) throws
    /// Flushes everything and moves the file into place (stdout: flushes). Call once.
    func finish() throws
    /// Drops the output: the temporary file is removed and nothing appears at the destination. Idempotent.
    func abandon()
}

/// Creates the sink for `format`, writing to `path` (through a temporary file in the same directory,
/// renamed at `finish()`), or to stdout when `path` is nil or `-`.
///
/// Refuses Parquet to a terminal. Text formats are uncompressed whatever `options.compression` says
/// (it applies to Parquet pages).
public func makeTableWriter(format: OutputFormat, columns: [Column], path: String?, options: SinkOptions = SinkOptions()) throws -> TableWriter {
    let toStdout = path == nil || path == "-"
    if format == .parquet && toStdout && isatty(1) != 0 {
        throw ExportError.refused("refusing to write binary Parquet to a terminal: use -o FILE.parquet or redirect stdout")
    }
    let sink: ByteSink = toStdout
        ? ByteSink.stdout(bufferBytes: options.bufferBytes, brokenPipe: options.brokenPipe)
        : try ByteSink.atomicFile(path!, bufferBytes: options.bufferBytes)
    do {
        switch format {
        case .tsv, .csv, .jsonl:
            return try DelimitedWriter(format: format, columns: columns, sink: sink, csvSafe: options.csvSafe)
        case .table:
            return TerminalTableWriter(columns: columns, sink: sink, options: options)
        case .parquet:
            return try ParquetWriter(columns: columns, sink: sink, options: options)
        }
    } catch {
        sink.abandon()
        throw error
    }
}

// MARK: - Row validation shared by the sinks

@inline(__always)
func cellTypeName(_ c: Cell) -> String {
    switch c {
    case .string, .bytes: return "string"
    case .int: return "int64"
    case .double: return "double"
    case .date: return "date"
    case .null: return "null"
    }
}

@inline(__always)
func checkRow(_ row: [Cell], _ columns: [Column], _ rowIndex: Int) throws {
    if row.count != columns.count {
        throw ExportError.rowWidth(expected: columns.count, got: row.count, row: rowIndex + 1)
    }
}

@inline(__always)
func typeError(_ col: Column, _ cell: Cell, _ rowIndex: Int) -> ExportError {
    .cellType(column: col.name, expected: col.type, got: cellTypeName(cell), row: rowIndex + 1)
}

// MARK: - TSV, CSV, JSONL

/// Rows of a text table encoded apart from its writer (a growable byte buffer): threads encode blocks of
/// one table at once, and the writer appends the blocks in row order (`EncodedRowWriter`).
public final class RowBytes: ByteAppender {
    // Used by one thread at a time: no dynamic exclusivity checks per byte.
    @exclusivity(unchecked) private(set) var base: UnsafeMutableRawPointer
    @exclusivity(unchecked) private(set) var capacity: Int
    /// Bytes held.
    @exclusivity(unchecked) public private(set) var count = 0
    /// Rows encoded into it.
    @exclusivity(unchecked) public internal(set) var rows = 0

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(64, capacity)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Empties it for reuse (keeps the memory).
    public func removeAll() { count = 0; rows = 0 }

    @inline(__always)
    private func reserve(_ n: Int) {
        if count + n <= capacity { return }
        var c = capacity * 2
        while c < count + n { c *= 2 }
        let nb = UnsafeMutableRawPointer.allocate(byteCount: c, alignment: 16)
        nb.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = nb
        capacity = c
    }

    @inline(__always) func put(_ byte: UInt8) {
        reserve(1)
        base.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always) func put(_ p: UnsafeRawBufferPointer) {
        let n = p.count
        guard n > 0 else { return }
        reserve(n)
        (base + count).copyMemory(from: p.baseAddress!, byteCount: n)
        count += n
    }

    /// The bytes (valid until it is changed).
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// The row encoding of a TSV, CSV or JSONL table, without the sink: what `DelimitedWriter.write` does per
/// row, usable from any thread (it holds only immutable values).
public struct RowEncoder: Sendable {
    public let columns: [Column]
    let format: OutputFormat
    let jsonKeys: [[UInt8]]  // `{"name":` / `,"name":`
    let csvSafe: Bool
    /// Each column's type and nullability, apart from its name: reading them per cell copies no `String`.
    let types: [ColumnType]
    let nullable: [Bool]

    init(format: OutputFormat, columns: [Column], csvSafe: Bool) {
        self.format = format
        self.columns = columns
        self.csvSafe = csvSafe
        types = columns.map(\.type)
        nullable = columns.map(\.nullable)
        var keys: [[UInt8]] = []
        for (i, c) in columns.enumerated() {
            var out = ByteArray()
            out.put(i == 0 ? 123 : 44)
            var name = c.name
            name.withUTF8 { try! JSONEscaping.appendQuoted($0, to: &out) }
            out.put(58)
            keys.append(out.bytes)
        }
        jsonKeys = keys
    }

    /// Appends one row (its line, newline included) to `out`; `rowIndex` (from 0) is for error messages.
    public func encode(_ row: [Cell], rowIndex: Int, into out: RowBytes) throws {
        var o = out
        try encode(row, rowIndex: rowIndex, to: &o)
        out.rows += 1
    }

    @inline(__always)
    func encode<O: ByteAppender>(_ row: [Cell], rowIndex: Int, to out: inout O) throws {
        try checkRow(row, columns, rowIndex)
        let format = self.format
        let sep: UInt8 = format == .csv ? 44 : 9
        let json = format == .jsonl
        let safe = csvSafe
        for i in 0..<row.count {
            if json { try jsonKeys[i].withUnsafeBytes { try out.put($0) } } else if i > 0 { try out.put(sep) }
            switch (row[i], types[i]) {
            case (.string(var s), .string):
                try s.withUTF8 { try Self.appendString($0, format, safe, &out) }
            case (.bytes(let b), .string):
                try b.withUnsafeBufferPointer { try Self.appendString($0, format, safe, &out) }
            case (.int(let v), .int64):
                try NumberFormat.appendInt(v, to: &out)
            case (.int(let v), .double):
                try NumberFormat.appendDouble(Double(v), json: json, to: &out)
            case (.double(let d), .double):
                try NumberFormat.appendDouble(d, json: json, to: &out)
            case (.date(let d), .date):
                if json { try out.put(34) }
                try out.put(DayDate.iso(d))
                if json { try out.put(34) }
            case (.null, _) where nullable[i]:
                if json { try out.put("null") } else if format == .tsv { try out.put(92); try out.put(78) }
            default:
                throw typeError(columns[i], row[i], rowIndex)
            }
        }
        if json { try out.put(125) }
        try out.put(10)
    }

    @inline(__always)
    private static func appendString<O: ByteAppender>(_ p: UnsafeBufferPointer<UInt8>, _ format: OutputFormat, _ safe: Bool, _ out: inout O) throws {
        switch format {
        case .tsv: try TSVEscaping.appendEscaped(p, to: &out)
        case .csv: try CSVEscaping.appendField(p, safe: safe, to: &out)
        default: try JSONEscaping.appendQuoted(p, to: &out)
        }
    }
}

/// A table writer whose rows can be encoded elsewhere (on other threads) and appended in order.
public protocol EncodedRowWriter: TableWriter {
    /// The encoding `write(_:)` uses.
    var rowEncoder: RowEncoder { get }
    /// Appends rows encoded by `rowEncoder` (the next `rows.rows` rows, in order).
    func write(encoded rows: RowBytes) throws
}

/// TSV (see `TSVEscaping`), CSV (see `CSVEscaping`) and JSONL (one object per row, keys in column order,
/// nulls and non-finite doubles as `null`, dates as `"YYYY-MM-DD"` strings).
final class DelimitedWriter: EncodedRowWriter {
    let columns: [Column]
    @exclusivity(unchecked) private(set) var rowCount = 0
    let rowEncoder: RowEncoder
    private let sink: ByteSink
    private var done = false

    init(format: OutputFormat, columns: [Column], sink: ByteSink, csvSafe: Bool = false) throws {
        self.columns = columns
        rowEncoder = RowEncoder(format: format, columns: columns, csvSafe: csvSafe)
        self.sink = sink
        if format != .jsonl {
            var out = sink
            for (i, c) in columns.enumerated() {
                if i > 0 { try out.append(format == .tsv ? 9 : 44) }
                var name = c.name
                try name.withUTF8 { p in
                    if format == .tsv { try TSVEscaping.appendEscaped(p, to: &out) } else { try CSVEscaping.appendField(p, to: &out) }
                }
            }
            try out.append(10)
        }
    }

    func write(_ row: [Cell]) throws {
        if done { throw ExportError.finished }
        // A local reference: no dynamic exclusivity checks on the hot path.
        var out = sink
        try rowEncoder.encode(row, rowIndex: rowCount, to: &out)
        rowCount += 1
    }

    func write(encoded rows: RowBytes) throws {
        if done { throw ExportError.finished }
        try rows.withBytes { try sink.append($0) }
        rowCount += rows.rows
    }

    func finish() throws {
        if done { throw ExportError.finished }
        done = true
        try sink.commit()
    }

    func abandon() {
        done = true
        sink.abandon()
    }
}

// MARK: - Terminal table

/// An aligned, human-readable table: columns two spaces apart, numbers right-aligned, doubles with
/// `NumberFormat.readable`, wide (CJK) characters counted as two columns, long cells cut with `…`,
/// control characters shown as TSV escapes. Widths are measured on the first `tableMeasureRows` rows;
/// later rows stream out with those widths, so memory stays bounded.
final class TerminalTableWriter: TableWriter {
    let columns: [Column]
    private(set) var rowCount = 0
    private let sink: ByteSink
    private let options: SinkOptions
    private var pending: [[String]] = []
    private var widths: [Int]? = nil
    private var done = false
    private var omitted = 0

    init(columns: [Column], sink: ByteSink, options: SinkOptions) {
        self.columns = columns
        self.sink = sink
        self.options = options
    }

    func write(_ row: [Cell]) throws {
        if done { throw ExportError.finished }
        try checkRow(row, columns, rowCount)
        if let max = options.tableMaxRows, rowCount >= max {
            // Past the limit: counted for the closing line, never formatted.
            rowCount += 1
            omitted += 1
            return
        }
        var cells: [String] = []
        cells.reserveCapacity(row.count)
        for (i, cell) in row.enumerated() {
            let col = columns[i]
            switch (cell, col.type) {
            case (.string(let s), .string): cells.append(displayText(s))
            case (.bytes(let b), .string): cells.append(displayText(String(decoding: b, as: UTF8.self)))
            case (.int(let v), .int64): cells.append(groupedThousands(v))
            case (.int(let v), .double): cells.append(NumberFormat.readable(Double(v)))
            case (.double(let d), .double): cells.append(NumberFormat.readable(d))
            case (.date(let d), .date): cells.append(DayDate.iso(d))
            case (.null, _) where col.nullable: cells.append("")
            default: throw typeError(col, cell, rowCount)
            }
        }
        rowCount += 1
        if widths == nil {
            pending.append(cells)
            if pending.count >= options.tableMeasureRows { try emitPending() }
        } else {
            try emit(cells)
        }
    }

    private func displayText(_ s: String) -> String {
        let t = escapingControls(s)
        return DisplayWidth.truncate(t, to: max(2, options.tableMaxCellWidth))
    }

    private func emitPending() throws {
        var w = columns.map { DisplayWidth.of($0.name) }
        for r in pending { for (i, c) in r.enumerated() { w[i] = max(w[i], DisplayWidth.of(c)) } }
        if let limit = options.tableWidth {
            w = Self.fit(w, columns: columns, into: limit)
            // Still too wide (numbers are never cut): leave out columns from the right, keeping two.
            while w.count > 2 && w.reduce(0, +) + 2 * (w.count - 1) > limit { w.removeLast() }
        }
        widths = w
        if let title = options.title { try sink.append(title + "\n") }
        try emit(columns.map(\.name))
        try emit(w.map { String(repeating: "─", count: $0) }, isRule: true)
        for r in pending { try emit(r) }
        pending = []
    }

    /// Narrows text columns one column at a time, always the widest, until a row fits in `limit` terminal
    /// columns (two spaces between columns) or every text column is down to `minText` — so long columns end
    /// up equally wide. Numbers are never cut: a cut number would lie.
    static func fit(_ widths: [Int], columns: [Column], into limit: Int, minText: Int = 8) -> [Int] {
        var w = widths
        var total = w.reduce(0, +) + 2 * max(0, w.count - 1)
        while total > limit {
            var widest = -1
            for i in w.indices where !columns[i].type.isNumeric && w[i] > minText && (widest < 0 || w[i] > w[widest]) { widest = i }
            if widest < 0 { break }
            w[widest] -= 1
            total -= 1
        }
        return w
    }

    private func emit(_ cells: [String], isRule: Bool = false) throws {
        guard let w = widths else { return }
        var line = ""
        for (i, c0) in cells.prefix(w.count).enumerated() {
            let c = DisplayWidth.of(c0) > w[i] ? DisplayWidth.truncate(c0, to: w[i]) : c0
            let pad = max(0, w[i] - DisplayWidth.of(c))
            let last = i == w.count - 1
            if i > 0 { line += "  " }
            if columns[i].type.isNumeric && !isRule {
                line += String(repeating: " ", count: pad) + c
            } else {
                line += c
                if !last { line += String(repeating: " ", count: pad) }
            }
        }
        line += "\n"
        try sink.append(line)
    }

    func finish() throws {
        if done { throw ExportError.finished }
        if widths == nil { try emitPending() }
        if let w = widths, w.count < columns.count {
            let hidden = columns[w.count...].map(\.name).joined(separator: ", ")
            try sink.append("not shown (too narrow a terminal): \(hidden)\n")
        }
        if omitted > 0 {
            let shown = rowCount - omitted
            let hint = options.tableAllRowsHint.map { " — \($0)" } ?? ""
            try sink.append("showing \(groupedThousands(Int64(shown))) of \(groupedThousands(Int64(rowCount))) rows\(hint)\n")
        }
        done = true
        try sink.commit()
    }

    func abandon() {
        done = true
        pending = []
        sink.abandon()
    }
}
