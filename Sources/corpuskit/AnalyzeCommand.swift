import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
import CZlib
#if canImport(Glibc)
import Glibc
#endif

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "The main job: one pass over a corpus writing documents, terms, bigrams, co-occurrence and trends tables plus a manifest to a folder.",
        discussion: """
            Reads and segments the corpus once and writes DIR/documents.parquet, terms.parquet, ngrams.parquet \
            (bigrams with measures), cooc.parquet (window W, default 5), trends.parquet (every nonzero period × term, \
            --by month by default) and manifest.json (versions, options, inputs with sizes and CRC-32 checksums, \
            counts, timings, throughput). Every table equals the separate command's output for the same options. \
            Without INPUTS it analyzes the bundled Corpus/. Each file is written through a temporary file and \
            renamed; manifest.json is written last, so a folder with a manifest is complete.
            """)

    @Argument(help: "Files, folders or - for standard input (default: the bundled Corpus/).")
    var inputs: [String] = []
    @Option(name: .shortAndLong, help: "Output folder (created if needed, with its missing parents).")
    var output: String = "analysis"
    @Option(help: "Table format: parquet (default), tsv, csv, jsonl.")
    var format: OutputFormat = .parquet
    @Option(help: "Parquet page compression: none, gzip, zstd (default zstd).")
    var compression: Compression = .zstd
    @Option(help: "Trend period: day, week, month (default), quarter, year.")
    var by: Granularity = .month
    @Option(help: "Co-occurrence window.")
    var window: Int = 5
    @Option(help: "Keep bigrams and pairs with at least this count (terms and trends are complete).")
    var minCount: UInt64 = 1
    @Option(help: "Stopwords for bigrams and co-occurrence: a language or a file.")
    var stopwords: String?
    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions

    func run() throws {
        text.checkLocale()
        guard format != .table else { throw ValidationError("--format table is for terminals; use parquet, tsv, csv or jsonl") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        let inputs = self.inputs.isEmpty ? [bundledCorpusPath()] : self.inputs
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.perDocument = true
        plan.ngramN = 2
        plan.cooc = .window(window)
        plan.periods = by
        plan.stopwords = try Stopwords.load(stopwords, tokenizer: plan.tokenizer)
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let passSeconds = pipeline.seconds

        try createOutputFolder(output)  // with missing parents (`-o out/sample` on a fresh clone); exit 73 if it fails
        let ext = format.fileExtension
        var sink = OutputOptions()
        sink.format = format
        sink.compression = compression
        let started = monotonicSeconds()
        func path(_ name: String) -> String { "\(output)/\(name).\(ext)" }
        let fingerprint = inputFingerprint(pipeline.files)
        let meta = [("corpuskit.inputs_fingerprint", fingerprint)]

        sink.output = path("documents")
        try emitTable(sink, columns: [Column("id", .string), Column("source", .string), Column("date", .string), Column("title", .string), Column("tokens", .int64)],
                      command: "analyze/documents", top: 0, metadata: meta) { write in
            for r in stats.records {
                try write([.string(r.id), .string(r.source), .string(r.date.map { isoDateTime(seconds: $0) } ?? ""), .string(r.title), .int(Int64(r.tokens))])
            }
        }
        let termRows = stats.termRows()
        sink.output = path("terms")
        try emitTable(sink, columns: [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("per_million", .double)],
                      command: "analyze/terms", top: 0, metadata: meta) { write in
            for r in termRows {
                try write([stats.cell(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .double(stats.perMillion(r.count, of: stats.totalTokens))])
            }
        }
        let ngramRows = stats.ngramRows(minCount: minCount)
        sink.output = path("ngrams")
        try emitTable(sink, columns: [Column("ngram", .string), Column("count", .int64), Column("docs", .int64)] + measureColumns,
                      command: "analyze/ngrams", top: 0, metadata: meta) { write in
            for r in ngramRows {
                try write([.string(stats.joined(stats.terms(of: r))), .int(Int64(r.count)), .int(Int64(r.docs))] + (stats.measures(of: r)?.values ?? []).map { .double($0) })
            }
        }
        let coocRows = stats.coocRows(minCount: minCount)
        sink.output = path("cooc")
        try emitTable(sink, columns: [Column("term1", .string), Column("term2", .string), Column("count", .int64), Column("docs", .int64)] + measureColumns,
                      command: "analyze/cooc", top: 0, metadata: meta) { write in
            for r in coocRows {
                let t = stats.terms(of: r)
                try write([stats.cell(t[0]), stats.cell(t[1]), .int(Int64(r.count)), .int(Int64(r.docs))] + (stats.measures(of: r)?.values ?? []).map { .double($0) })
            }
        }
        struct TrendRow { var period: Int64; var term: TermID; var count: UInt64; var docs: UInt32 }
        var trendRows: [TrendRow] = []
        stats.forEachPeriodTerm { p, t, c, d in trendRows.append(TrendRow(period: p, term: t, count: c, docs: d)) }
        trendRows.sort { a, b in
            if a.period != b.period { return a.period < b.period }
            if a.count != b.count { return a.count > b.count }
            return stats.vocabulary.less(a.term, b.term)
        }
        sink.output = path("trends")
        try emitTable(sink, columns: [Column("period", .string), Column("period_start", .date), Column("term", .string), Column("count", .int64),
                                      Column("docs", .int64), Column("per_million", .double)],
                      command: "analyze/trends", top: 0, metadata: meta) { write in
            for r in trendRows {
                try write([.string(by.label(ofOrdinal: r.period)), .date(Int32(by.startDay(ofOrdinal: r.period))), stats.cell(r.term),
                           .int(Int64(r.count)), .int(Int64(r.docs)), .double(stats.perMillion(r.count, of: stats.periodTokens(r.period)))])
            }
        }
        let writeSeconds = monotonicSeconds() - started
        let mb = Double(pipeline.inputBytes) / 1e6
        let rate = passSeconds > 0 ? mb / passSeconds : 0

        // The manifest, last: a folder with a manifest is complete.
        let inputsJSON: [JSONValue] = pipeline.files.map { f in
            var s = stat()
            let size = stat(f, &s) == 0 ? Int64(s.st_size) : 0
            return .object(["path": .string(f), "bytes": .int(size), "crc32": .string(crc32Hex(ofFile: f))])
        }
        let manifest: JSONValue = .object([
            "corpuskit_version": .string(corpusKitVersion),
            "icu_version": .string(ICUInfo.icuVersion),
            "unicode_version": .string(ICUInfo.unicodeVersion),
            "command": .string(CommandLine.arguments.joined(separator: " ")),
            "options": .object([
                "by": .string(by.rawValue), "window": .int(Int64(window)), "min_count": .int(Int64(minCount)),
                "normalize": .string(text.normalize.rawValue), "strip_accents": .bool(text.stripAccents), "locale": .string(text.locale),
                "stopwords": stopwords.map { .string($0) } ?? .null, "jobs": .int(Int64(engine.jobCount)),
                "segmenter": .string(engine.segmenter.rawValue), "format": .string(format.rawValue), "compression": .string(compression.rawValue),
                "input_format": .string(read.inputFormat.rawValue),
            ]),
            "inputs": .array(inputsJSON),
            "inputs_fingerprint": .string(fingerprint),
            "counts": .object([
                "documents": .int(Int64(stats.documents)), "tokens": .int(Int64(stats.totalTokens)), "types": .int(Int64(stats.typeCount)),
                "undated": .int(Int64(stats.undated)), "skipped": .int(Int64(pipeline.diagnostics.count(.skipped))),
                "bad_dates": .int(Int64(pipeline.diagnostics.count(.badDate))), "invalid_utf8": .int(Int64(pipeline.diagnostics.invalidUTF8Sequences)),
                "bytes": .int(pipeline.inputBytes),
                "first_date": stats.firstDate.map { .string(isoDate(seconds: $0)) } ?? .null,
                "last_date": stats.lastDate.map { .string(isoDate(seconds: $0)) } ?? .null,
            ]),
            "tables": .object([
                "documents": .object(["file": .string("documents.\(ext)"), "rows": .int(Int64(stats.records.count))]),
                "terms": .object(["file": .string("terms.\(ext)"), "rows": .int(Int64(termRows.count))]),
                "ngrams": .object(["file": .string("ngrams.\(ext)"), "rows": .int(Int64(ngramRows.count))]),
                "cooc": .object(["file": .string("cooc.\(ext)"), "rows": .int(Int64(coocRows.count))]),
                "trends": .object(["file": .string("trends.\(ext)"), "rows": .int(Int64(trendRows.count))]),
            ]),
            "timings_seconds": .object(["pass": .double(passSeconds), "write": .double(writeSeconds)]),
            "throughput_mb_per_s": .double(rate),
        ])
        try Manifest.write(manifest, to: "\(output)/manifest.json")

        // The summary.
        let out = StdoutWriter()
        out.write("\(stats.documents) documents, \(stats.totalTokens) tokens, \(stats.typeCount) types")
        if let a = stats.firstDate, let b = stats.lastDate { out.write(", \(isoDate(seconds: a)) to \(isoDate(seconds: b))") }
        if stats.undated > 0 { out.write(" (\(stats.undated) undated)") }
        out.write("\n")
        let top = termRows.prefix(10).map { "\(stats.vocabulary.string($0.term)) (\($0.count))" }.joined(separator: ", ")
        out.write("top terms: \(top)\n")
        out.write("read and analyzed \(String(format1(mb))) MB in \(format1(passSeconds)) s (\(format1(rate)) MB/s, \(engine.jobCount) job\(engine.jobCount == 1 ? "" : "s")); tables written in \(format1(writeSeconds)) s\n")
        out.write("wrote \(output)/: documents, terms, ngrams, cooc, trends .\(ext) and manifest.json\n")
        out.flush()
        pipeline.summarize()
    }
}

func format1(_ x: Double) -> String {
    let v = (x * 10).rounded() / 10
    return String(v)
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CRC-32 (zlib) of a file's bytes, as 8 hex digits.
func crc32Hex(ofFile path: String) -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var crc: uLong = crc32(0, nil, 0)
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        crc = buf.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt(n)) }
    }
    let s = String(crc, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// A fingerprint of the inputs: CRC-32 over each file's path, size and modification time.
func inputFingerprint(_ files: [String]) -> String {
    var crc: uLong = crc32(0, nil, 0)
    for f in files {
        var s = stat()
        let line = stat(f, &s) == 0 ? "\(f)\t\(s.st_size)\t\(s.st_mtim.tv_sec)\n" : "\(f)\n"
        var l = line
        l.withUTF8 { crc = crc32(crc, $0.baseAddress, uInt($0.count)) }
    }
    let s = String(crc, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}
