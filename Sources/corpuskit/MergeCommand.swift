import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// `corpuskit merge PARTIAL_DIR... -o DIR [--partial]`: sums partial folders exactly and writes the finished
/// folder `analyze` writes (or, with --partial, one merged partial).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Sum partial folders (analyze --partial, or a Spark job's reduced partial) into the finished tables analyze writes, or into one partial.",
        discussion: """
            Each PARTIAL_DIR is a folder written by `corpuskit analyze INPUTS --partial -o PARTIAL_DIR` (or by \
            `merge --partial`, or the reduced partial of scripts/spark/corpuskit_spark.py, whose tables may be \
            folders of part files). The counts are summed exactly, so the finished tables equal those of one \
            `analyze` over all the inputs, cell for cell, whatever the split of the files: documents are listed \
            in the order of the partials given, then in each partial's order. Partials must agree on every \
            option that changes what is counted (period, window, normalization, locale, apostrophes, sentence \
            breaks, stopword list, ICU and Unicode versions): merge refuses partials that differ, naming the \
            option. --min-count applies here, to the finished tables.

            Without --partial, DIR gets documents, terms, ngrams, cooc, trends, periods tables and a manifest \
            listing every input of every partial, as `analyze -o DIR`. With --partial, DIR is one partial folder \
            (to merge again later: last month's partial with this month's gives the tables of both months).

            Example: corpuskit merge part-a part-b -o reuters
            """)

    @Argument(help: ArgumentHelp("Partial folders to sum.", valueName: "PARTIAL_DIR"))
    var partials: [String] = []
    @Option(name: .shortAndLong, help: "Output folder, replaced as a whole (missing parents are created).")
    var output: String
    @Flag(help: "Write one merged partial folder instead of the finished tables.")
    var partial = false
    @Option(help: "Table format of the finished folder (a partial is always Parquet).")
    var format: AnalyzeFormat = .parquet
    @Option(help: "Parquet page compression: none, gzip, zstd (default zstd).")
    var compression: Compression = .zstd
    @Option(help: "Keep terms, bigrams, pairs and (period, term) trend rows with at least this count.")
    var minCount: UInt64 = 1
    @Flag(help: "Show progress while writing tables.")
    var progress = false

    func validate() throws {
        guard !partials.isEmpty else { throw ValidationError("give at least one partial folder (written by analyze --partial)") }
        if partial && format != .parquet { throw ValidationError("--partial writes Parquet only; drop --format \(format.rawValue)") }
        if partial && minCount != 1 { throw ValidationError("--min-count applies to finished tables; a partial keeps every count") }
        let folder = try AnalysisFolder(output)
        try folder.checkReplaceable()
        if let out = realPath(folder.path) {
            for p in partials where realPath(p) == out {
                throw ValidationError("-o \(output) is one of the partials being merged; write the result to another folder")
            }
        }
    }

    func run() throws {
        let started = monotonicSeconds()
        let folder = try AnalysisFolder(output)
        try folder.checkReplaceable()
        folder.removeStalePartials()

        // The manifests first: every partial must agree before anything is read.
        var manifests: [JSONValue] = []
        for dir in partials { manifests.append(try PartialReader.manifest(dir)) }
        let agreed = manifests[0]["options"]!
        for (i, m) in manifests.enumerated().dropFirst() {
            if let key = PartialReader.firstDifference(agreed, m["options"]!) {
                throw CLIError("cannot merge \(escapedPath(partials[i])) with \(escapedPath(partials[0])): their option '\(key)' differs (\(PartialReader.describe(agreed[key])) vs \(PartialReader.describe(m["options"]![key])))",
                               code: ExitStatus.dataError)
            }
        }
        var settings = try AnalysisSettings(mergeOptions: agreed, source: partials[0])
        settings.minCount = minCount
        settings.format = format
        settings.compression = compression
        settings.showProgress = progress
        let info = manifests[0]["info"]
        settings.stopwordsName = info?["stopwords"]?.stringValue
        settings.segmenter = info?["segmenter"]?.stringValue ?? "auto"
        settings.inputFormat = info?["input_format"]?.stringValue ?? "auto"
        settings.jobs = Int(info?["jobs"]?.intValue ?? 1)

        let stats = CorpusStats.empty(plan: settings.plan)
        var totals = PartialTotals()
        var inputs: [JSONValue] = []
        for (i, dir) in partials.enumerated() {
            totals.add(try PartialReader.read(dir, into: stats, by: settings.by))
            inputs.append(contentsOf: manifests[i]["inputs"]?.arrayValue ?? [])
        }
        stats.addTotals(totals)
        let readSeconds = monotonicSeconds() - started

        let temp = try folder.makePartial()
        var swapped = false
        defer { if !swapped { removeTree(temp) } }
        let fingerprint = jsonFingerprint(.array(inputs))
        let meta = [("corpuskit.inputs_fingerprint", fingerprint)]
        let writeStarted = monotonicSeconds()
        let merged: JSONValue = .array(partials.map { .string($0) })
        let manifest: JSONValue
        if partial {
            let rows = try PartialFolder.write(stats, settings, totals: totals, into: temp, metadata: meta)
            manifest = PartialFolder.manifest(settings, rows: rows, inputs: inputs, extra: ["merged_from": merged])
        } else {
            let rows = try FinishedTables.write(stats, settings, into: temp, metadata: meta)
            let seconds = monotonicSeconds() - started
            manifest = FinishedTables.manifest(stats, settings, totals: totals, rows: rows, inputs: inputs, fingerprint: fingerprint,
                                               timings: ["merge": .double(readSeconds), "write": .double(monotonicSeconds() - writeStarted)],
                                               throughput: seconds > 0 ? Double(totals.inputBytes) / 1e6 / seconds : 0,
                                               extra: ["merged_from": merged])
        }
        try Manifest.write(manifest, to: "\(temp)/\(Manifest.fileName)")
        try folder.swapIn(temp)
        swapped = true

        let out = StdoutWriter()
        writeCorpusLine(out, stats)
        out.write("merged \(partials.count) partial\(partials.count == 1 ? "" : "s") (\(inputs.count) input file\(inputs.count == 1 ? "" : "s")) in \(format1(readSeconds)) s; tables written in \(format1(monotonicSeconds() - writeStarted)) s\n")
        if partial {
            out.write("wrote the partial \(folder.path)/: \(PartialFolder.tables.joined(separator: ", ")) .parquet and manifest.json\n")
        } else {
            out.write("wrote \(folder.path)/: documents, terms, ngrams, cooc, trends, periods .\(settings.format.outputFormat.fileExtension) and manifest.json\n")
        }
        out.flush()
    }
}

/// CRC-32 of a JSON value's compact text, as 8 hex digits.
func jsonFingerprint(_ v: JSONValue) -> String {
    var text = v.serialized(pretty: false)
    var crc: uLong = crc32(0, nil, 0)
    text.withUTF8 { crc = crc32(crc, $0.baseAddress, uInt($0.count)) }
    return hex8(crc)
}

/// Reading partial folders back into statistics.
enum PartialReader {
    static func fail(_ message: String) -> CLIError { CLIError(message, code: ExitStatus.dataError) }

    /// The manifest of a partial folder (exit 65 when it is not one).
    static func manifest(_ dir: String) throws -> JSONValue {
        let path = "\(dir)/\(Manifest.fileName)"
        guard isFolder(dir) else {
            throw CLIError("\(escapedPath(dir)): not a folder (give folders written by corpuskit analyze --partial)", code: ExitStatus.noInput)
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw fail("\(escapedPath(dir)): no manifest.json: not a partial folder (write one with corpuskit analyze INPUTS --partial -o \(escapedPath(dir)))")
        }
        let m: JSONValue
        do { m = try JSONValue.parse(file: path) } catch { throw fail("\(escapedPath(path)): \(error)") }
        guard m["kind"]?.stringValue == PartialFolder.kind else {
            if m["tables"] != nil {
                throw fail("\(escapedPath(dir)) is a finished analyze folder, not a partial: its tables hold derived values and cannot be summed; run analyze with --partial")
            }
            throw fail("\(escapedPath(path)): not a corpuskit partial manifest")
        }
        guard m["partial_format"]?.intValue == Int64(PartialFolder.formatVersion) else {
            throw fail("\(escapedPath(dir)): partial format \(m["partial_format"].map { describe($0) } ?? "?") is not \(PartialFolder.formatVersion) (written by another corpuskit version)")
        }
        guard m["options"]?.objectValue != nil else { throw fail("\(escapedPath(path)): no options") }
        return m
    }

    /// The first option (in name order) whose values differ.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue) -> String? {
        let x = a.objectValue ?? [:], y = b.objectValue ?? [:]
        for key in Set(x.keys).union(y.keys).sorted() where x[key] != y[key] { return key }
        return nil
    }

    static func describe(_ v: JSONValue?) -> String {
        guard let v else { return "absent" }
        if case .array(let a) = v { return "a list of \(a.count)" }
        return v.serialized(pretty: false)
    }

    /// The Parquet files of table `name`: `NAME.parquet`, or the part files of a folder `NAME.parquet/`
    /// (or `NAME/`), in byte order of their names; Spark's `_SUCCESS` and `.crc` files are skipped.
    static func files(_ dir: String, _ name: String) throws -> [String] {
        for candidate in ["\(dir)/\(name).parquet", "\(dir)/\(name)"] {
            var st = stat()
            guard stat(candidate, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) != S_IFDIR { return [candidate] }
            let parts = listFolder(candidate).filter { $0.hasSuffix(".parquet") && !$0.hasPrefix(".") && !$0.hasPrefix("_") }
            return parts.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { "\(candidate)/\($0)" }
        }
        throw fail("\(escapedPath(dir)): table \(name).parquet is missing (a partial holds \(PartialFolder.tables.joined(separator: ", ")))")
    }

    /// One Parquet file's columns, checked to be present.
    struct Table {
        let path: String
        let reader: ParquetReader
        var rows: Int { reader.rowCount }

        init(_ path: String) throws {
            self.path = path
            do { reader = try ParquetReader(path: path) } catch { throw PartialReader.fail("\(escapedPath(path)): \(error)") }
        }

        func column(_ name: String) throws -> ParquetColumnData {
            guard reader.columns.contains(where: { $0.name == name }) else {
                throw PartialReader.fail("\(escapedPath(path)): no column '\(name)' (has \(reader.columns.map(\.name).joined(separator: ", ")))")
            }
            let c: ParquetColumnData
            do { c = try reader.read(column: name) } catch { throw PartialReader.fail("\(escapedPath(path)): column \(name): \(error)") }
            return c
        }

        func null(_ column: String, _ row: Int) -> CLIError {
            PartialReader.fail("\(escapedPath(path)): row \(row + 1): column \(column) is null or not a number")
        }

        /// A non-negative count.
        func count(_ c: ParquetColumnData, _ name: String, _ row: Int) throws -> UInt64 {
            guard let v = c.int64(row), v >= 0 else { throw null(name, row) }
            return UInt64(v)
        }

        func term(_ c: ParquetColumnData, _ name: String, _ row: Int, _ stats: CorpusStats) throws -> TermID {
            guard let id = c.withBytes(row, { stats.intern($0) }) else { throw null(name, row) }
            return id
        }
    }

    /// Adds one partial folder's tables to `stats`; returns its totals.
    static func read(_ dir: String, into stats: CorpusStats, by: Granularity) throws -> PartialTotals {
        for path in try files(dir, "terms") {
            let t = try Table(path)
            let term = try t.column("term"), count = try t.column("count"), docs = try t.column("docs"), margin = try t.column("window_margin")
            for r in 0..<t.rows {
                stats.addTerm(try t.term(term, "term", r, stats), count: try t.count(count, "count", r), docs: try t.count(docs, "docs", r),
                              windowMargin: try t.count(margin, "window_margin", r))
            }
        }
        let n = stats.plan.ngramN ?? 2
        for path in try files(dir, "ngrams") {
            let t = try Table(path)
            let ngram = try t.column("ngram"), count = try t.column("count"), docs = try t.column("docs")
            var ids: [TermID] = []
            for r in 0..<t.rows {
                ids.removeAll(keepingCapacity: true)
                let ok: Bool? = ngram.withBytes(r) { raw in
                    var start = 0
                    for i in 0...raw.count where i == raw.count || raw[i] == 0x20 {
                        ids.append(stats.intern(UnsafeRawBufferPointer(rebasing: raw[start..<i])))
                        start = i + 1
                    }
                    return ids.count == n
                }
                guard let ok else { throw t.null("ngram", r) }
                guard ok else { throw fail("\(escapedPath(path)): row \(r + 1): '\(ngram.string(r) ?? "")' is not \(n) words separated by single spaces") }
                stats.addNgram(ids, count: try t.count(count, "count", r), docs: try t.count(docs, "docs", r))
            }
        }
        for path in try files(dir, "pairs") {
            let t = try Table(path)
            let a = try t.column("term1"), b = try t.column("term2"), count = try t.column("count"), docs = try t.column("docs")
            for r in 0..<t.rows {
                stats.addPair(try t.term(a, "term1", r, stats), try t.term(b, "term2", r, stats),
                              count: try t.count(count, "count", r), docs: try t.count(docs, "docs", r))
            }
        }
        func period(_ t: Table, _ c: ParquetColumnData, _ r: Int) throws -> Int64 {
            guard let day = c.int64(r) else { throw t.null("period_start", r) }
            let p = by.ordinal(ofDay: day)
            guard by.startDay(ofOrdinal: p) == day else {
                throw fail("\(escapedPath(t.path)): row \(r + 1): period_start \(CivilDate.isoDate(days: day)) does not start a \(by.rawValue)")
            }
            return p
        }
        for path in try files(dir, "periods") {
            let t = try Table(path)
            let start = try t.column("period_start"), term = try t.column("term"), count = try t.column("count"), docs = try t.column("docs")
            for r in 0..<t.rows {
                stats.addPeriodTerm(period: try period(t, start, r), term: try t.term(term, "term", r, stats),
                                    count: try t.count(count, "count", r), docs: try t.count(docs, "docs", r))
            }
        }
        for path in try files(dir, "period_totals") {
            let t = try Table(path)
            let start = try t.column("period_start"), tokens = try t.column("tokens"), docs = try t.column("docs")
            for r in 0..<t.rows {
                stats.addPeriodTotal(period: try period(t, start, r), tokens: try t.count(tokens, "tokens", r), docs: try t.count(docs, "docs", r))
            }
        }
        for path in try files(dir, "documents") {
            let t = try Table(path)
            let id = try t.column("id"), source = try t.column("source"), date = try t.column("date"), title = try t.column("title"), tokens = try t.column("tokens")
            for r in 0..<t.rows {
                let d = date.string(r) ?? ""
                var seconds: Int64? = nil
                if !d.isEmpty {
                    guard let s = parseISODateTime(d) else { throw fail("\(escapedPath(path)): row \(r + 1): date '\(d)' is not YYYY-MM-DDTHH:MM:SSZ") }
                    seconds = s
                }
                stats.appendRecord(DocumentRecord(ordinal: 0, id: id.string(r) ?? "", source: source.string(r) ?? "", date: seconds,
                                                  title: title.string(r) ?? "", tokens: Int(try t.count(tokens, "tokens", r))))
            }
        }
        var totals = PartialTotals()
        for path in try files(dir, "totals") {
            let t = try Table(path)
            let names = ["documents", "tokens", "text_bytes", "undated", "ordered_pairs", "input_bytes", "skipped", "bad_dates", "invalid_utf8"]
            let cols = try names.map { try t.column($0) }
            let first = try t.column("first_date"), last = try t.column("last_date")
            for r in 0..<t.rows {
                var v = PartialTotals()
                let x = try zip(names, cols).map { try t.count($1, $0, r) }
                v.documents = x[0]; v.tokens = x[1]; v.textBytes = x[2]; v.undated = x[3]; v.orderedPairs = x[4]
                v.inputBytes = x[5]; v.skipped = x[6]; v.badDates = x[7]; v.invalidUTF8 = x[8]
                v.firstDate = first.int64(r)
                v.lastDate = last.int64(r)
                totals.add(v)
            }
        }
        return totals
    }
}

/// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SSZ` (as the documents table writes dates); nil otherwise.
func parseISODateTime(_ s: String) -> Int64? {
    let b = Array(s.utf8)
    guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
    func num(_ r: Range<Int>) -> Int? {
        var v = 0
        for i in r {
            guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }
    guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10), let hh = num(11..<13), let mm = num(14..<16), let ss = num(17..<19),
          CivilDate.isValid(year: y, month: m, day: d), hh < 24, mm < 60, ss < 60 else { return nil }
    return CivilDate.days(year: y, month: m, day: d) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
}
