import ArgumentParser
import CorpusExport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `corpuskit convert TABLE.tsv --format parquet -o TABLE.parquet`: turns a TSV table written by
/// corpuskit (or any TSV in the same escaping), or a flat Parquet file (corpuskit, Spark, pyarrow,
/// polars, DuckDB), into Parquet, CSV, JSONL, TSV or a terminal table.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a TSV or Parquet table into Parquet, CSV, JSONL, TSV or a terminal table.",
        discussion: """
            The input is a TSV table as corpuskit writes it: a header line of column names, then one row \
            a line, cells separated by tabs, with tab, newline, carriage return and backslash inside a \
            cell written as \\t, \\n, \\r and \\\\, and a null cell as \\N.

            Column types are inferred from all values: int64 when every value is a decimal integer, \
            double when every value is a decimal number (inf, -inf and nan allowed), date for a column \
            named period_start or ending in _date whose values are all YYYY-MM-DD, else string. The \
            columns term, ngram, term1, term2, period, id, doc_id, title, source, word, collocate and \
            node are always strings (add more with --string-column).

            A Parquet input (a name ending in .parquet, or a file starting with the bytes PAR1) is read \
            with its own column types: INT32 and INT64 become int64, FLOAT and DOUBLE double (a FLOAT is \
            widened exactly), BYTE_ARRAY string (invalid UTF-8 repaired with U+FFFD), INT32 with the \
            DATE type date, BOOLEAN int64 0/1 (there is no boolean column type), FIXED_LEN_BYTE_ARRAY and \
            INT96 lowercase hex strings; nulls stay nulls, OPTIONAL columns stay nullable. Flat schemas \
            only (no nested or repeated columns); codecs UNCOMPRESSED, SNAPPY, GZIP, ZSTD; data pages v1 \
            and v2, dictionary, RLE, DELTA and BYTE_STREAM_SPLIT encodings. --string-column does not \
            apply to Parquet input. A damaged or unsupported Parquet file stops the run with exit 65.

            Examples:
              corpuskit convert terms.tsv -o terms.parquet --compression zstd
              corpuskit convert cooc.tsv --format csv -o cooc.csv
              corpuskit convert part-00000.snappy.parquet --format tsv
            """)

    @Argument(help: ArgumentHelp("The TSV or Parquet table to read ('-' for standard input).", valueName: "TABLE"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Output format: table, tsv, csv, jsonl or parquet (default: from the -o file's extension, else table on a terminal and tsv otherwise).", valueName: "format"))
    var format: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE (through a temporary file renamed at the end) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Parquet page compression: none, gzip or zstd.", valueName: "codec"))
    var compression: String = "none"

    @Option(name: .customLong("row-group-rows"), help: ArgumentHelp("Parquet: at most this many rows per row group.", valueName: "N"))
    var rowGroupRows: Int = 1_000_000

    @Option(name: .customLong("string-column"), help: ArgumentHelp("TSV input: keep this column as text whatever its values look like (repeatable; Parquet input keeps its own types).", valueName: "NAME"))
    var stringColumns: [String] = []

    /// The output table writer: convert's metadata (source, column types), compression, row groups.
    func makeWriter(_ columns: [Column], _ fmt: OutputFormat) throws -> any TableWriter {
        var options = SinkOptions()
        options.compression = Compression(rawValue: compression)!
        options.rowGroupRows = rowGroupRows
        options.metadata = [
            ("corpuskit.command", "convert"),
            ("corpuskit.source", input),
            ("corpuskit.columns", columns.map { "\($0.name):\($0.type.rawValue)\($0.nullable ? "?" : "")" }.joined(separator: ",")),
        ]
        if fmt == .table { options.title = input }
        return try makeTableWriter(format: fmt, columns: columns, path: output, options: options)
    }

    func validate() throws {
        if let f = format, OutputFormat(rawValue: f) == nil {
            throw ValidationError("unknown --format '\(f)': use one of \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if Compression(rawValue: compression) == nil {
            throw ValidationError("unknown --compression '\(compression)': use none, gzip or zstd")
        }
        if rowGroupRows < 1 { throw ValidationError("--row-group-rows must be at least 1") }
    }

    func run() throws {
        let fmt: OutputFormat
        if let f = format {
            fmt = OutputFormat(rawValue: f)!
        } else if let o = output, o != "-", let f = OutputFormat.inferred(fromPath: o) {
            fmt = f
        } else if output == nil || output == "-" {
            fmt = isatty(1) != 0 ? .table : .tsv
        } else {
            throw ValidationError("cannot tell the format from '\(output!)': add --format parquet|csv|jsonl|tsv|table")
        }

        var path = input
        var spooled: String? = nil
        if input == "-" {
            spooled = try spoolStandardInput()
            path = spooled!
        }
        defer { if let s = spooled { unlink(s) } }

        if Self.isParquet(path: input == "-" ? path : input, sniff: path) {
            try convertParquet(path: path, format: fmt)
            return
        }
        let (columns, _) = try TSVTable.inferColumns(path: path, forceString: Set(stringColumns))
        let writer = try makeWriter(columns, fmt)
        do {
            try TSVTable.copy(path: path, columns: columns, into: writer)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// A Parquet input: the name ends in `.parquet`, or the file starts with `PAR1`.
    static func isParquet(path: String, sniff: String) -> Bool {
        if path.lowercased().hasSuffix(".parquet") { return true }
        let fd = open(sniff, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var magic: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        let n = withUnsafeMutableBytes(of: &magic) { pread(fd, $0.baseAddress, 4, 0) }
        return n == 4 && magic == (0x50, 0x41, 0x52, 0x31)
    }

    /// Parquet input: each row group's columns are read, then written row by row.
    private func convertParquet(path: String, format fmt: OutputFormat) throws {
        let reader = try ParquetReader(path: path)
        let infos = reader.columns
        let columns = infos.map { info -> Column in
            let type: ColumnType
            switch info.physical {
            case .boolean, .int64: type = .int64
            case .int32: type = info.logical == .date ? .date : .int64
            case .float, .double: type = .double
            case .byteArray, .fixedLenByteArray, .int96: type = .string
            }
            return Column(info.name, type, nullable: info.optional)
        }
        let writer = try makeWriter(columns, fmt)
        do {
            let hex = Array("0123456789abcdef".utf8)
            var row = [Cell](repeating: .null, count: columns.count)
            for g in 0..<reader.rowGroupCount {
                let data = try (0..<columns.count).map { try reader.read(columnIndex: $0, rowGroup: g) }
                let rows = data.first?.count ?? 0
                for r in 0..<rows {
                    for c in 0..<columns.count {
                        let d = data[c]
                        let cell: Cell
                        switch columns[c].type {
                        case .int64: cell = d.int64(r).map { .int($0) } ?? .null
                        case .date: cell = d.int64(r).map { .date(Int32(truncatingIfNeeded: $0)) } ?? .null
                        case .double: cell = d.double(r).map { .double($0) } ?? .null
                        case .string:
                            if infos[c].physical == .byteArray {
                                cell = d.string(r).map { .string($0) } ?? .null
                            } else {
                                cell = d.withBytes(r) { b -> Cell in
                                    var s: [UInt8] = []
                                    s.reserveCapacity(b.count * 2)
                                    for x in b { s.append(hex[Int(x >> 4)]); s.append(hex[Int(x & 15)]) }
                                    return .bytes(s)
                                } ?? .null
                            }
                        }
                        row[c] = cell
                    }
                    try writer.write(row)
                }
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Copies standard input to a temporary file (the input is read twice: types, then rows).
    private func spoolStandardInput() throws -> String {
        var template = Array("/tmp/corpuskit-convert-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ValidationError("cannot create a temporary file for standard input") }
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buf.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n < 0 { if errno == EINTR { continue }; unlink(path); throw ValidationError("reading standard input failed") }
            if n == 0 { break }
            var done = 0
            while done < n {
                let w = buf.withUnsafeBytes { write(fd, $0.baseAddress! + done, n - done) }
                if w <= 0 { unlink(path); throw ValidationError("writing the spooled input to \(path) failed") }
                done += w
            }
        }
        return path
    }
}
