import ArgumentParser
import CorpusExport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `corpuskit convert TABLE.tsv --format parquet -o TABLE.parquet`: turns a TSV table written by
/// corpuskit (or any TSV in the same escaping) into Parquet, CSV, JSONL, TSV or a terminal table.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a TSV table written by corpuskit into Parquet, CSV, JSONL, TSV or a terminal table.",
        discussion: """
            The input is a TSV table as corpuskit writes it: a header line of column names, then one row \
            a line, cells separated by tabs, with tab, newline, carriage return and backslash inside a \
            cell written as \\t, \\n, \\r and \\\\, and a null cell as \\N.

            Column types are inferred from all values: int64 when every value is a decimal integer, \
            double when every value is a decimal number (inf, -inf and nan allowed), date for a column \
            named period_start or ending in _date whose values are all YYYY-MM-DD, else string. The \
            columns term, ngram, term1, term2, period, id, doc_id, title, source, word, collocate and \
            node are always strings (add more with --string-column).

            Examples:
              corpuskit convert terms.tsv -o terms.parquet --compression zstd
              corpuskit convert cooc.tsv --format csv -o cooc.csv
            """)

    @Argument(help: ArgumentHelp("The TSV table to read ('-' for standard input).", valueName: "TABLE.tsv"))
    var input: String

    @Option(name: .long, help: ArgumentHelp("Output format: table, tsv, csv, jsonl or parquet (default: from the -o file's extension, else table on a terminal and tsv otherwise).", valueName: "format"))
    var format: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to FILE (through a temporary file renamed at the end) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Parquet page compression: none, gzip or zstd.", valueName: "codec"))
    var compression: String = "none"

    @Option(name: .customLong("row-group-rows"), help: ArgumentHelp("Parquet: at most this many rows per row group.", valueName: "N"))
    var rowGroupRows: Int = 1_000_000

    @Option(name: .customLong("string-column"), help: ArgumentHelp("Keep this column as text whatever its values look like (repeatable).", valueName: "NAME"))
    var stringColumns: [String] = []

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

        let (columns, _) = try TSVTable.inferColumns(path: path, forceString: Set(stringColumns))
        var options = SinkOptions()
        options.compression = Compression(rawValue: compression)!
        options.rowGroupRows = rowGroupRows
        options.metadata = [
            ("corpuskit.command", "convert"),
            ("corpuskit.source", input),
            ("corpuskit.columns", columns.map { "\($0.name):\($0.type.rawValue)\($0.nullable ? "?" : "")" }.joined(separator: ",")),
        ]
        if fmt == .table { options.title = input }
        let writer = try makeTableWriter(format: fmt, columns: columns, path: output, options: options)
        do {
            try TSVTable.copy(path: path, columns: columns, into: writer)
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
