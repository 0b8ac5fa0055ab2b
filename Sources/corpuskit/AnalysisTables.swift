import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
#if canImport(Glibc)
import Glibc
#endif

/// What decides the tables of an analysis folder, whether it comes from one pass (`analyze`) or from
/// partials (`merge`).
struct AnalysisSettings {
    var by: Granularity = .month
    var window: Int = 5
    var minCount: UInt64 = 1
    /// The stopwords option as given (a language or a file); the filter holds the normalized list it gave
    /// and the token filters.
    var stopwordsName: String? = nil
    var filter = TermFilter()
    var tokenizer = TokenizerOptions()
    var format: AnalyzeFormat = .parquet
    var compression: Compression = .zstd
    var showProgress = false
    /// Informational options recorded in the manifest (jobs, segmenter, input format); `jobs` also sets
    /// the threads that encode text-format pair tables.
    var jobs = 1
    var segmenter = "auto"
    var inputFormat = "auto"

    /// The plan of analyze's one pass.
    var plan: AnalysisPlan {
        var plan = AnalysisPlan(tokenizer: tokenizer)
        plan.perDocument = true
        plan.ngramN = 2
        plan.cooc = .window(window)
        plan.periods = by
        plan.filter = filter
        return plan
    }

    /// The options that must agree for partials to merge: everything that changes what is counted.
    var mergeOptions: JSONValue {
        var o: [String: JSONValue] = [
            "by": .string(by.rawValue), "window": .int(Int64(window)), "ngram_n": .int(2),
            "normalize": .string(tokenizer.normalization.rawValue), "strip_accents": .bool(tokenizer.stripAccents),
            "locale": .string(tokenizer.locale), "fold_apostrophes": .bool(tokenizer.foldApostrophes),
            "sentence_breaks": .string(tokenizer.sentenceBreaks.rawValue),
            "stopword_terms": .array(filter.stopwords.sorted { $0.lexicographicallyPrecedes($1) }.map { .string(String(decoding: $0, as: UTF8.self)) }),
            "icu_version": .string(ICUInfo.icuVersion), "unicode_version": .string(ICUInfo.unicodeVersion),
            "partial_format": .int(Int64(PartialFolder.formatVersion)),
        ]
        // Only when set: a partial without token filters records what it did before (and merges with those).
        if filter.hasPredicates { o["token_filters"] = filter.mergeJSON }
        return .object(o)
    }

    /// Settings from a partial's agreed options (the inverse of `mergeOptions`).
    init(mergeOptions o: JSONValue, source: String) throws {
        func bad(_ key: String) -> CLIError {
            CLIError("\(source): manifest option '\(key)' is missing or invalid", code: ExitStatus.dataError)
        }
        guard let b = o["by"]?.stringValue, let g = Granularity(rawValue: b) else { throw bad("by") }
        guard let w = o["window"]?.intValue, w >= 1, w <= 1_000_000 else { throw bad("window") }
        guard let n = o["normalize"]?.stringValue, let mode = NormalizationMode(rawValue: n) else { throw bad("normalize") }
        guard case .bool(let strip)? = o["strip_accents"] else { throw bad("strip_accents") }
        guard let locale = o["locale"]?.stringValue else { throw bad("locale") }
        guard case .bool(let fold)? = o["fold_apostrophes"] else { throw bad("fold_apostrophes") }
        guard let sb = o["sentence_breaks"]?.stringValue, let sentence = SentenceBreakMode(rawValue: sb) else { throw bad("sentence_breaks") }
        guard let list = o["stopword_terms"]?.arrayValue else { throw bad("stopword_terms") }
        by = g
        window = Int(w)
        tokenizer = TokenizerOptions(normalization: mode, stripAccents: strip, locale: locale, foldApostrophes: fold, sentenceBreaks: sentence)
        var stop = Set<[UInt8]>()
        for v in list {
            guard let s = v.stringValue else { throw bad("stopword_terms") }
            stop.insert(Array(s.utf8))
        }
        filter = TermFilter(stopwords: stop)
        if let f = o["token_filters"] { try filter.apply(mergeJSON: f, tokenizer: tokenizer) { bad("token_filters") } }
    }

    init() {}
}

/// The finished tables of an analysis folder: documents, terms, ngrams, cooc, trends, periods. Every
/// option applies as the separate commands apply it (terms, ngrams -n 2, cooc --window W, trends --by P,
/// periods --by P, docs).
enum FinishedTables {
    static let names = ["documents", "terms", "ngrams", "cooc", "trends", "periods"]

    /// Writes the tables into `folder`; returns the row count of each.
    static func write(_ stats: CorpusStats, _ s: AnalysisSettings, into folder: String, metadata meta: [(String, String)]) throws -> [String: Int] {
        let ext = s.format.outputFormat.fileExtension
        var sink = OutputOptions()
        sink.format = s.format.outputFormat
        sink.compression = s.compression
        func path(_ name: String) -> String { "\(folder)/\(name).\(ext)" }
        let stop = s.filter, minCount = s.minCount, by = s.by
        var rows: [String: Int] = [:]

        sink.output = path("documents")
        try emitTable(sink, columns: [Column("id", .string), Column("source", .string), Column("date", .string), Column("title", .string), Column("tokens", .int64)],
                      command: "analyze/documents", rows: .noTopOption, metadata: meta, progress: s.showProgress) { write in
            for r in stats.records {
                try write([.string(r.id), .string(r.source), .string(r.date.map { isoDateTime(seconds: $0) } ?? ""), .string(r.title), .int(Int64(r.tokens))])
            }
        }
        rows["documents"] = stats.records.count
        // As `terms --min-count N --stopwords S`.
        let termRows = stats.termRows(minCount: minCount, excluding: stop)
        sink.output = path("terms")
        try emitTable(sink, columns: [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("per_million", .double)],
                      command: "analyze/terms", rows: .noTopOption, metadata: meta, progress: s.showProgress) { write in
            for r in termRows {
                try write([stats.cell(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .double(stats.perMillion(r.count, of: stats.totalTokens))])
            }
        }
        rows["terms"] = termRows.count
        // As `ngrams -n 2` and `cooc --window W` with the same options: stopwords are left out by the engine (plan).
        let ngramRows = stats.ngramRows(minCount: minCount)
        sink.output = path("ngrams")
        // Pair tables: rows built into one reused buffer; TSV/CSV/JSONL ones on `jobs` threads (`emitTableRows`).
        try stats.byteRanks.withUnsafeBufferPointer { ranks in
            try emitTableRows(sink, columns: [Column("ngram", .string), Column("count", .int64), Column("docs", .int64)] + measureColumns,
                              command: "analyze/ngrams", rows: .noTopOption, metadata: meta, progress: s.showProgress,
                              jobs: s.jobs, count: ngramRows.count) { i, cells in
                stats.appendNgramCells(ngramRows[i], ranks: ranks, to: &cells)
            }
        }
        rows["ngrams"] = ngramRows.count
        let coocRows = stats.coocRows(minCount: minCount)
        sink.output = path("cooc")
        try stats.byteRanks.withUnsafeBufferPointer { ranks in
            try emitTableRows(sink, columns: [Column("term1", .string), Column("term2", .string), Column("count", .int64), Column("docs", .int64)] + measureColumns,
                              command: "analyze/cooc", rows: .noTopOption, metadata: meta, progress: s.showProgress,
                              jobs: s.jobs, count: coocRows.count) { i, cells in
                stats.appendCoocCells(coocRows[i], ranks: ranks, to: &cells)
            }
        }
        rows["cooc"] = coocRows.count
        // As `trends --by P --min-count N --stopwords S` (the sparse table: every nonzero period × term).
        let trendRows = stats.periodTermRows().filter { r in
            r.count >= minCount && (stop.isEmpty || !stop.contains(Array(stats.vocabulary.bytes(r.term))))
        }
        sink.output = path("trends")
        try emitTable(sink, columns: [Column("period", .string), Column("period_start", .date), Column("term", .string), Column("count", .int64),
                                      Column("docs", .int64), Column("per_million", .double)],
                      command: "analyze/trends", rows: .noTopOption, metadata: meta, progress: s.showProgress) { write in
            for r in trendRows {
                try write([.string(by.label(ofOrdinal: r.period)), .date(Int32(by.startDay(ofOrdinal: r.period))), stats.cell(r.term),
                           .int(Int64(r.count)), .int(Int64(r.docs)), .double(stats.perMillion(r.count, of: stats.periodTokens(r.period)))])
            }
        }
        rows["trends"] = trendRows.count
        // As `periods --by P`: every period from the first to the last dated one, empty ones included.
        let periodRows = try PeriodsCommand.rows(stats, by: by)
        sink.output = path("periods")
        try emitTable(sink, columns: PeriodsCommand.columns, command: "analyze/periods", rows: .noTopOption, metadata: meta, progress: s.showProgress) { write in
            for r in periodRows { try write(r) }
        }
        rows["periods"] = periodRows.count
        return rows
    }

    /// The manifest's `counts`: documents, tokens, types, undated, skipped, bad dates, invalid UTF-8, input
    /// bytes and the first and last dates (also on `report`'s page).
    static func counts(_ t: PartialTotals, types: Int) -> JSONValue {
        .object([
            "documents": .int(Int64(t.documents)), "tokens": .int(Int64(t.tokens)), "types": .int(Int64(types)),
            "undated": .int(Int64(t.undated)), "skipped": .int(Int64(t.skipped)),
            "bad_dates": .int(Int64(t.badDates)), "invalid_utf8": .int(Int64(t.invalidUTF8)),
            "bytes": .int(Int64(t.inputBytes)),
            "first_date": t.firstDate.map { .string(isoDate(seconds: $0)) } ?? .null,
            "last_date": t.lastDate.map { .string(isoDate(seconds: $0)) } ?? .null,
        ])
    }

    /// The manifest of a finished folder.
    static func manifest(_ stats: CorpusStats, _ s: AnalysisSettings, totals t: PartialTotals, rows: [String: Int], inputs: [JSONValue],
                         fingerprint: String, timings: [String: JSONValue], throughput: Double, extra: [String: JSONValue] = [:]) -> JSONValue {
        let ext = s.format.outputFormat.fileExtension
        var tables: [String: JSONValue] = [:]
        for name in names { tables[name] = .object(["file": .string("\(name).\(ext)"), "rows": .int(Int64(rows[name] ?? 0))]) }
        var o: [String: JSONValue] = [
            "corpuskit_version": .string(corpusKitVersion),
            "icu_version": .string(ICUInfo.icuVersion),
            "unicode_version": .string(ICUInfo.unicodeVersion),
            "command": .string(CommandLine.arguments.joined(separator: " ")),
            "options": .object([
                "by": .string(s.by.rawValue), "window": .int(Int64(s.window)), "min_count": .int(Int64(s.minCount)),
                "normalize": .string(s.tokenizer.normalization.rawValue), "strip_accents": .bool(s.tokenizer.stripAccents), "locale": .string(s.tokenizer.locale),
                "stopwords": s.stopwordsName.map { .string($0) } ?? .null, "token_filters": s.filter.manifestJSON, "jobs": .int(Int64(s.jobs)),
                "segmenter": .string(s.segmenter), "format": .string(s.format.rawValue), "compression": .string(s.compression.rawValue),
                "input_format": .string(s.inputFormat),
            ]),
            "inputs": .array(inputs),
            "inputs_fingerprint": .string(fingerprint),
            "counts": counts(t, types: stats.typeCount),
            "tables": .object(tables),
            "timings_seconds": .object(timings),
            "throughput_mb_per_s": .double(throughput),
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }
}

/// A partial folder (`analyze --partial`, `merge --partial`): each table's additive state as Parquet keyed
/// by strings, and a manifest with the options that must agree for partials to merge. Nothing derived
/// (per_million, measures, min-count, top) is stored. See docs/partials.md.
enum PartialFolder {
    static let formatVersion = 1
    static let kind = "corpuskit-partial"
    static let tables = ["documents", "terms", "ngrams", "pairs", "periods", "period_totals", "totals"]

    /// Writes the partial tables into `folder` and returns their row counts.
    static func write(_ stats: CorpusStats, _ s: AnalysisSettings, totals t: PartialTotals, into folder: String, metadata meta: [(String, String)]) throws -> [String: Int] {
        var sink = OutputOptions()
        sink.format = .parquet
        sink.compression = s.compression
        func path(_ name: String) -> String { "\(folder)/\(name).parquet" }
        let by = s.by
        var rows: [String: Int] = [:]
        func emit(_ name: String, _ columns: [Column], _ body: (_ write: ([Cell]) throws -> Void) throws -> Void) throws {
            sink.output = path(name)
            var n = 0
            try emitTable(sink, columns: columns, command: "partial/\(name)", rows: .noTopOption, metadata: meta, progress: s.showProgress) { write in
                try withoutActuallyEscaping(write) { w in
                    try body { try w($0); n += 1 }
                }
            }
            rows[name] = n
        }
        try emit("documents", [Column("id", .string), Column("source", .string), Column("date", .string), Column("title", .string), Column("tokens", .int64)]) { write in
            for r in stats.records {
                try write([.string(r.id), .string(r.source), .string(r.date.map { isoDateTime(seconds: $0) } ?? ""), .string(r.title), .int(Int64(r.tokens))])
            }
        }
        try emit("terms", [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("window_margin", .int64)]) { write in
            for r in stats.termRows(minCount: 1) {
                try write([stats.cell(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .int(Int64(stats.windowMargin(r.term)))])
            }
        }
        try emit("ngrams", [Column("ngram", .string), Column("count", .int64), Column("docs", .int64)]) { write in
            for r in stats.ngramRows(minCount: 1) {
                try write([.string(stats.joined(stats.terms(of: r))), .int(Int64(r.count)), .int(Int64(r.docs))])
            }
        }
        try emit("pairs", [Column("term1", .string), Column("term2", .string), Column("count", .int64), Column("docs", .int64)]) { write in
            for r in stats.coocRows(minCount: 1) {
                let p = stats.terms(of: r)
                try write([stats.cell(p[0]), stats.cell(p[1]), .int(Int64(r.count)), .int(Int64(r.docs))])
            }
        }
        try emit("periods", [Column("period", .string), Column("period_start", .date), Column("term", .string), Column("count", .int64), Column("docs", .int64)]) { write in
            for r in stats.periodTermRows() {
                try write([.string(by.label(ofOrdinal: r.period)), .date(Int32(by.startDay(ofOrdinal: r.period))), stats.cell(r.term),
                           .int(Int64(r.count)), .int(Int64(r.docs))])
            }
        }
        try emit("period_totals", [Column("period", .string), Column("period_start", .date), Column("tokens", .int64), Column("docs", .int64)]) { write in
            for p in stats.periodTotals.keys.sorted() {
                let v = stats.periodTotals[p]!
                try write([.string(by.label(ofOrdinal: p)), .date(Int32(by.startDay(ofOrdinal: p))), .int(Int64(v.tokens)), .int(Int64(v.docs))])
            }
        }
        let totalColumns = ["documents", "tokens", "text_bytes", "undated", "ordered_pairs", "input_bytes", "skipped", "bad_dates", "invalid_utf8"]
        try emit("totals", totalColumns.map { Column($0, .int64) } + [Column("first_date", .int64, nullable: true), Column("last_date", .int64, nullable: true)]) { write in
            let values: [UInt64] = [t.documents, t.tokens, t.textBytes, t.undated, t.orderedPairs, t.inputBytes, t.skipped, t.badDates, t.invalidUTF8]
            try write(values.map { .int(Int64($0)) } + [t.firstDate.map { .int($0) } ?? .null, t.lastDate.map { .int($0) } ?? .null])
        }
        return rows
    }

    static func manifest(_ s: AnalysisSettings, rows: [String: Int], inputs: [JSONValue], extra: [String: JSONValue] = [:]) -> JSONValue {
        var tables: [String: JSONValue] = [:]
        for name in Self.tables { tables[name] = .object(["file": .string("\(name).parquet"), "rows": .int(Int64(rows[name] ?? 0))]) }
        var o: [String: JSONValue] = [
            "kind": .string(kind),
            "partial_format": .int(Int64(formatVersion)),
            "corpuskit_version": .string(corpusKitVersion),
            "icu_version": .string(ICUInfo.icuVersion),
            "unicode_version": .string(ICUInfo.unicodeVersion),
            "command": .string(CommandLine.arguments.joined(separator: " ")),
            "options": s.mergeOptions,
            "info": .object([
                "stopwords": s.stopwordsName.map { .string($0) } ?? .null, "jobs": .int(Int64(s.jobs)),
                "segmenter": .string(s.segmenter), "input_format": .string(s.inputFormat),
                "compression": .string(s.compression.rawValue),
            ]),
            "inputs": .array(inputs),
            "tables": .object(tables),
        ]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }
}

/// The first summary line of `analyze` and `merge`: documents, tokens, types, the dated span.
func writeCorpusLine(_ out: StdoutWriter, _ stats: CorpusStats) {
    out.write("\(stats.documents) documents, \(stats.totalTokens) tokens, \(stats.typeCount) types")
    if let a = stats.firstDate, let b = stats.lastDate { out.write(", \(isoDate(seconds: a)) to \(isoDate(seconds: b))") }
    if stats.undated > 0 { out.write(" (\(stats.undated) undated)") }
    out.write("\n")
}
