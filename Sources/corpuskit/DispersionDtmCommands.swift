import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

/// `--parts documents` or `--parts N`.
extension DispersionParts: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "documents" { self = .documents; return }
        guard let n = Int(argument), n >= 2 else { return nil }
        self = .slices(n)
    }
    public static var defaultCompletionKind: CompletionKind { .list(["documents"]) }
}

extension MatrixOptions.Weight: ExpressibleByArgument {}

struct DispersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispersion",
        abstract: "How evenly terms spread over a corpus: term, count, docs, range, juilland_d, carroll_d2, gries_dp, dp_norm, arf.",
        discussion: """
            Parts are the documents (default; each document with tokens is a part, its size its tokens) or, \
            with --parts N, N consecutive slices of equal size over the documents in input order. With f the \
            term's count, n parts, s_i part i's share of all N tokens and v_i the share of the term's \
            occurrences in part i: range = parts containing the term / n; gries_dp = ½ Σ |v_i − s_i| (Gries \
            2008; 0 = spread as the parts' sizes, near 1 = in one small part); dp_norm = gries_dp / (1 − min s_i) \
            (Lijffijt & Gries 2012); juilland_d = 1 − CV / √(n − 1) over the relative frequencies per part \
            (Juilland 1964; 1 = even); carroll_d2 = the entropy of the relative frequencies' shares / log2 n \
            (Carroll 1970); arf = the average reduced frequency (Savický & Hlaváčová 2002): Σ min(d_k, N / f) / \
            (N / f) over the distances d_k between consecutive occurrences (the last to the first wrapping \
            round), f when evenly spread, near 1 when bunched. With one part, juilland_d and carroll_d2 are null.

            Terms: --terms a,b (normalized like tokens, in that order) or the --top K most frequent (default 10; \
            --stopwords leaves words out of that choice; this reads the corpus twice, so INPUTS cannot be -).

            Example: corpuskit dispersion corpora/reuters21578/ --terms oil,louvre
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Comma-separated terms.")
    var terms: String?
    @Option(name: .customLong("top"), help: "The K most frequent terms (default 10 without --terms).")
    var topTerms: Int?
    @Option(help: "Parts: documents (default) or a number N ≥ 2 of equal slices.")
    var parts: DispersionParts = .documents
    @Option(help: "Stopwords left out of the --top choice: a language or a file.")
    var stopwords: String?
    @OptionGroup var group: GroupOptions
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if terms != nil && topTerms != nil { throw ValidationError("give --terms or --top, not both") }
        if let k = topTerms, k < 1 { throw ValidationError("--top must be at least 1") }
        if terms == nil && inputs.contains("-") {
            throw ValidationError("--top reads the corpus twice and standard input can be read once: give --terms, or a file")
        }
    }

    func run() throws {
        text.checkLocale()
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        var labels: [String]
        if let terms {
            let phrases = try SeriesSelection.userTerms(terms, tokenizer: plan.tokenizer)
            if let multi = phrases.first(where: { $0.count > 1 }) {
                throw ValidationError("--terms: '\(multi.joined(separator: " "))' is several tokens; dispersion is of single terms")
            }
            labels = phrases.map { $0[0] }
            guard !labels.isEmpty else { throw ValidationError("--terms: no term left") }
        } else {
            // First pass: the most frequent terms (its reader warnings are given by the second pass).
            let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
            var first = try Pipeline(read: read, run: engine, echo: false)
            let stats = try first.execute(inputs: inputs, plan: plan)
            labels = stats.termRows(excluding: stop, top: topTerms ?? 10).map { stats.vocabulary.string($0.term) }
        }
        plan.positionsOf = labels
        var pipeline = try Pipeline(read: read, run: engine)
        group.apply(to: &plan, &pipeline)
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        // Grouped: the same terms (--terms, or the corpus's most frequent) over each group's documents.
        var rows: [(prefix: [Cell], row: DispersionRow)] = []
        group.forEach(stats) { prefix, stats in rows += stats.dispersionRows(parts: parts).map { (prefix, $0) } }
        if group.groupBy == nil {
            for (_, r) in rows where r.count == 0 { printError("corpuskit: '\(r.label)' does not occur (its measures are null)") }
        }
        let columns = group.columns + [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("range", .double)]
            + ["juilland_d", "carroll_d2", "gries_dp", "dp_norm", "arf"].map { Column($0, .double, nullable: true) }
        func cell(_ x: Double?) -> Cell { x.map { .double($0) } ?? .null }
        try emitTable(output, columns: columns, command: "dispersion", rows: .noTopOption) { write in
            for (prefix, r) in rows {
                try write(prefix + [.string(r.label), .int(Int64(r.count)), .int(Int64(r.docs)), .double(r.range),
                           cell(r.juillandD), cell(r.carrollD2), cell(r.griesDP), cell(r.dpNorm), cell(r.arf)])
            }
        }
        pipeline.summarize()
    }
}

struct DtmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dtm",
        abstract: "A sparse document-term matrix (counts or tf-idf) as long-form Parquet/TSV/CSV/JSONL or Matrix Market, with its row and column lists.",
        discussion: """
            Rows are the documents in input order, columns the kept terms in UTF-8 byte order (scikit-learn's \
            sorted vocabulary). -o FILE.parquet (or .tsv, .csv, .jsonl) writes one row per nonzero cell: row, \
            col (0-based), doc (the document's id), term, count, weight; beside it FILE.docs.EXT (row, id, \
            source, date, tokens) and FILE.terms.EXT (col, term, docs, count, idf). -o FILE.mtx writes Matrix \
            Market coordinate format (1-based; `scipy.io.mmread` loads it), with FILE.docs.tsv and \
            FILE.terms.tsv beside it.

            --weight count (default): weight = count. --weight tfidf: scikit-learn's TfidfTransformer() \
            defaults — idf = ln((1 + n) / (1 + df)) + 1 with n documents and df the term's documents, weight = \
            count × idf, each row scaled to unit Euclidean length. Columns: terms in at least --min-docs \
            documents and at most --max-docs-ratio of them (CountVectorizer's min_df and max_df), without \
            --stopwords, then the --max-features most frequent (ties by UTF-8 bytes). Memory holds one \
            (term, count) entry per distinct term of each document, never a dense matrix; rows are written \
            as they are formed.

            Example: corpuskit dtm corpora/reuters21578/ -o reuters-dtm.parquet --weight tfidf --min-docs 5
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(name: .shortAndLong, help: "The matrix file: .parquet, .tsv, .csv, .jsonl (long form) or .mtx (Matrix Market).")
    var output: String
    @Option(help: "count (default) or tfidf.")
    var weight: MatrixOptions.Weight = .count
    @Option(help: "Keep terms in at least this many documents.")
    var minDocs: UInt64 = 1
    @Option(help: "Keep the K most frequent of the remaining terms.")
    var maxFeatures: Int?
    @Option(help: "Stopwords left out of the columns: a language or a file.")
    var stopwords: String?
    @Option(help: "Parquet page compression: none, gzip, zstd.")
    var compression: Compression = .zstd
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions

    enum Kind { case table(OutputFormat), mtx }

    var kind: Kind? {
        if output.hasSuffix(".mtx") { return .mtx }
        if let f = OutputFormat.inferred(fromPath: output), f != .table { return .table(f) }
        return nil
    }

    /// FILE.parquet → FILE.NAME.parquet
    func sidecar(_ name: String, ext: String) -> String {
        var stem = output
        if let dot = stem.lastIndex(of: "."), !stem[dot...].contains("/") { stem = String(stem[..<dot]) }
        return "\(stem).\(name).\(ext)"
    }

    func validate() throws {
        guard kind != nil else { throw ValidationError("-o \(output): name a .parquet, .tsv, .csv, .jsonl or .mtx file") }
        if let k = maxFeatures, k < 1 { throw ValidationError("--max-features must be at least 1") }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.perDocument = true
        plan.documentTerms = true
        var options = MatrixOptions()
        options.weight = weight
        options.minDocs = minDocs
        options.maxDocsRatio = filters.maxDocsRatio ?? 1.0
        options.maxFeatures = maxFeatures
        options.filter = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: nil)
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let m = stats.documentTermMatrix(options)
        let records = stats.records  // sorted by ordinal, as the matrix rows
        switch kind! {
        case .table(let format):
            var sink = OutputOptions()
            sink.format = format
            sink.compression = compression
            let ext = format.fileExtension
            sink.output = output
            try emitTable(sink, columns: [Column("row", .int64), Column("col", .int64), Column("doc", .string), Column("term", .string),
                                          Column("count", .int64), Column("weight", .double)],
                          command: "dtm", rows: .noTopOption) { write in
                try m.forEachRow { r, entries in
                    let doc = Cell.string(records[r].id)
                    for e in entries {
                        try write([.int(Int64(r)), .int(Int64(e.column)), doc, stats.cell(m.columns[e.column]), .int(Int64(e.count)), .double(e.weight)])
                    }
                }
            }
            sink.output = sidecar("docs", ext: ext)
            try writeDocs(sink, records)
            sink.output = sidecar("terms", ext: ext)
            try writeTerms(sink, m, stats)
        case .mtx:
            let file = try AtomicTextFile(path: output)
            do {
                let integer = weight == .count
                try file.write("%%MatrixMarket matrix coordinate \(integer ? "integer" : "real") general\n")
                try file.write("% corpuskit \(corpusKitVersion) dtm: rows = documents (\(baseName(sidecar("docs", ext: "tsv")))), columns = terms (\(baseName(sidecar("terms", ext: "tsv")))), weight = \(weight.rawValue)\n")
                try file.write("\(m.rowCount) \(m.columnCount) \(m.nonzeroCount)\n")
                var line = ""
                try m.forEachRow { r, entries in
                    for e in entries {
                        line.removeAll(keepingCapacity: true)
                        line += String(r + 1)
                        line += " "
                        line += String(e.column + 1)
                        line += " "
                        line += integer ? String(e.count) : NumberFormat.shortest(e.weight)
                        line += "\n"
                        try file.write(line)
                    }
                }
                try file.commit()
            } catch {
                file.abandon()
                throw error
            }
            var sink = OutputOptions()
            sink.format = .tsv
            sink.compression = .none
            sink.output = sidecar("docs", ext: "tsv")
            try writeDocs(sink, records)
            sink.output = sidecar("terms", ext: "tsv")
            try writeTerms(sink, m, stats)
        }
        printError("corpuskit: \(groupedThousands(Int64(m.rowCount))) documents × \(groupedThousands(Int64(m.columnCount))) terms, \(groupedThousands(Int64(m.nonzeroCount))) nonzero cells (\(weight.rawValue)); wrote \(output)")
        pipeline.summarize()
    }

    func baseName(_ p: String) -> String { p.split(separator: "/").last.map(String.init) ?? p }

    func writeDocs(_ sink: OutputOptions, _ records: [DocumentRecord]) throws {
        try emitTable(sink, columns: [Column("row", .int64), Column("id", .string), Column("source", .string), Column("date", .string), Column("tokens", .int64)],
                      command: "dtm/docs", rows: .noTopOption) { write in
            for (i, r) in records.enumerated() {
                try write([.int(Int64(i)), .string(r.id), .string(r.source), .string(r.date.map { isoDateTime(seconds: $0) } ?? ""), .int(Int64(r.tokens))])
            }
        }
    }

    func writeTerms(_ sink: OutputOptions, _ m: DocumentTermMatrix, _ stats: CorpusStats) throws {
        try emitTable(sink, columns: [Column("col", .int64), Column("term", .string), Column("docs", .int64), Column("count", .int64), Column("idf", .double)],
                      command: "dtm/terms", rows: .noTopOption) { write in
            for j in 0..<m.columnCount {
                try write([.int(Int64(j)), stats.cell(m.columns[j]), .int(Int64(m.columnDocs[j])), .int(Int64(m.columnCounts[j])), .double(m.idf[j])])
            }
        }
    }
}
