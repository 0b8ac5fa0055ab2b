/// The value types a table column can hold.
public enum ColumnType: String, Sendable, CaseIterable {
    /// UTF-8 text. Parquet: BYTE_ARRAY, converted type UTF8, logical type STRING.
    case string
    /// 64-bit signed integer. Parquet: INT64.
    case int64
    /// IEEE double. Parquet: DOUBLE.
    case double
    /// Days since 1970-01-01 (Int32). Parquet: INT32 with the DATE logical type; text formats: `YYYY-MM-DD`.
    case date

    /// True for the types a terminal table right-aligns.
    public var isNumeric: Bool { self == .int64 || self == .double }
}

/// One column of an output table.
public struct Column: Sendable, Equatable {
    public var name: String
    public var type: ColumnType
    /// When false, writing `.null` into this column is an error.
    public var nullable: Bool
    public init(_ name: String, _ type: ColumnType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }
    public init(name: String, type: ColumnType, nullable: Bool = false) {
        self.init(name, type, nullable: nullable)
    }
}

/// One cell of a row. The cell's case must match its column's type: `.string` or `.bytes` for a
/// string column, `.int` for int64, `.double` for double (an `.int` is accepted and converted),
/// `.date` for date, `.null` only in a nullable column.
public enum Cell: Sendable, Equatable {
    case string(String)
    /// A string column's value given as UTF-8 bytes (must be valid UTF-8; the engine's byte slices).
    /// Note: a Swift `String` of up to 15 UTF-8 bytes is stored inline (no allocation), so `.string`
    /// is usually at least as fast as `.bytes` for short terms.
    case bytes([UInt8])
    case int(Int64)
    case double(Double)
    /// Days since 1970-01-01.
    case date(Int32)
    case null
}

/// `--format`.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, tsv, csv, jsonl, parquet

    /// The usual file extension (`parquet`, `tsv`, ...; `txt` for table).
    public var fileExtension: String { self == .table ? "txt" : rawValue }

    /// The format a file name implies (`.tsv`, `.csv`, `.jsonl`/`.ndjson`, `.parquet`/`.pq`), or nil.
    public static func inferred(fromPath path: String) -> OutputFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        if lower.hasSuffix(".parquet") || lower.hasSuffix(".pq") { return .parquet }
        if lower.hasSuffix(".txt") { return .table }
        return nil
    }
}

/// `--compression`: applies to Parquet pages (text formats are written uncompressed).
public enum Compression: String, CaseIterable, Sendable {
    case none, gzip, zstd
}

/// What to do when stdout is a closed pipe (`corpuskit terms ... | head`).
public enum BrokenPipePolicy: Sendable {
    /// Remove registered temporary files and exit the process with status 0, silently (the Unix convention).
    case exitQuietly
    /// Throw `ExportError.brokenPipe` from `write`/`finish`.
    case throwError
}

/// Options shared by every sink.
public struct SinkOptions: Sendable {
    /// Parquet page compression.
    public var compression: Compression = .none
    /// Parquet: rows per row group (at most).
    public var rowGroupRows: Int = 1_000_000
    /// Parquet: a row group is flushed once its buffered values take about this many bytes.
    public var rowGroupBytes: Int = 64 << 20
    /// Parquet: target uncompressed size of one data page.
    public var pageBytes: Int = 1 << 20
    /// Parquet: a string column chunk falls back from dictionary to PLAIN encoding once its dictionary
    /// holds more than this many bytes.
    public var dictionaryBytesLimit: Int = 4 << 20
    /// Parquet: zstd level (1...19) and gzip level (1...9); nil = the library default (zstd 3, gzip 6).
    public var compressionLevel: Int? = nil
    /// Parquet: threads that encode and compress the column chunks of a row group at once (the file's
    /// bytes do not depend on it).
    public var threads: Int = 1
    /// Parquet footer key-value metadata (CorpusKit/ICU/Unicode versions, command, options, input fingerprint).
    public var metadata: [(String, String)] = []
    /// Parquet footer `created_by`.
    public var createdBy: String = "CorpusKit"
    /// `table`: a title line printed above the table (nil = none).
    public var title: String? = nil
    /// `table`: at most this many rows are printed; the rest are counted in a closing line (nil = all).
    public var tableMaxRows: Int? = nil
    /// `table`: cells wider than this (terminal columns) are cut with `…`.
    public var tableMaxCellWidth: Int = 48
    /// `table`: the terminal's width in columns; text columns are narrowed (cells cut with `…`) so a row
    /// fits when it can (nil = no limit).
    public var tableWidth: Int? = nil
    /// `table`: what the closing line suggests to see every row (e.g. "--top 0 for all").
    public var tableAllRowsHint: String? = nil
    /// `table`: column widths are measured on the first this-many rows, then rows stream out.
    public var tableMeasureRows: Int = 1000
    /// Stdout only: what to do on EPIPE.
    public var brokenPipe: BrokenPipePolicy = .exitQuietly
    /// Size of the output buffer in bytes.
    public var bufferBytes: Int = 1 << 20
    /// CSV: prefix text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
    /// first) with `'` (`--csv-safe`). Numeric columns are never changed.
    public var csvSafe: Bool = false

    public init() {}
    public init(compression: Compression = .none, metadata: [(String, String)] = [], title: String? = nil) {
        self.compression = compression
        self.metadata = metadata
        self.title = title
    }
}

/// Errors raised by the sinks. Descriptions are one-line, user-facing messages.
public enum ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A row has the wrong number of cells.
    case rowWidth(expected: Int, got: Int, row: Int)
    /// A cell does not match its column's type (or `.null` in a non-nullable column).
    case cellType(column: String, expected: ColumnType, got: String, row: Int)
    /// A system call failed (open, write, rename...).
    case io(path: String, operation: String, errno: Int32)
    /// Stdout is a closed pipe (only with `BrokenPipePolicy.throwError`).
    case brokenPipe
    /// `write` after `finish`/`abandon`.
    case finished
    /// Refusing to do something (e.g. binary Parquet to a terminal).
    case refused(String)
    /// Compression library failure.
    case compression(String)
    /// Bad input (e.g. the TSV read by `convert`), with `file:line`.
    case input(String)

    public var description: String {
        switch self {
        case let .rowWidth(expected, got, row):
            return "row \(row): \(got) cells for \(expected) columns"
        case let .cellType(column, expected, got, row):
            return "row \(row), column '\(column)': expected \(expected.rawValue), got \(got)"
        case let .io(path, operation, err):
            return "\(escapedPath(path)): \(operation) failed: \(systemErrorMessage(err))"
        case .brokenPipe:
            return "broken pipe"
        case .finished:
            return "table writer used after finish()"
        case let .refused(m), let .compression(m), let .input(m):
            return m
        }
    }
}

/// A file name as shown in a message: control characters (C0, DEL, C1) written as `\t`, `\n`, `\r` or
/// `\u{1b}`, so that a name cannot break or rewrite the terminal line it is printed on. Other text,
/// including non-ASCII letters, is unchanged. Idempotent on names without control characters.
public func escapedPath(_ path: String) -> String { escapingControls(path) }

/// `s` with its control characters (C0, DEL, C1) written as `\t`, `\n`, `\r` or `\u{1b}` (file names in
/// messages, cells of terminal tables).
public func escapingControls(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else { return s }
    var out = ""
    for u in s.unicodeScalars {
        switch u.value {
        case 9: out += "\\t"
        case 10: out += "\\n"
        case 13: out += "\\r"
        case 0..<0x20, 0x7F...0x9F: out += "\\u{\(String(u.value, radix: 16))}"
        default: out.unicodeScalars.append(u)
        }
    }
    return out
}
