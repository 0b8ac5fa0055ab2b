import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
#if canImport(Glibc)
import Glibc
#endif

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "One self-contained HTML page with the story of a corpus: its size per period, keyword trends, bursts, top terms, collocates and keyness.",
        discussion: """
            One pass over the corpus, one HTML file that opens anywhere without a network: inline SVG charts \
            and a few lines of script for sorting tables, no external file of any kind. The page shows \
            the corpus at a glance (documents, tokens, types, date range, documents and tokens per period); \
            keyword trends (per million tokens of each period, as `trends --terms`) of the --terms, or of the \
            \(ReportData.risingLines) top rising terms of the last period when none are given, on a time axis \
            where a period without documents is a gap; the \(ReportData.burstRows) strongest bursts (as `bursts`) \
            of those terms and of the 50 most frequent; the --top terms (as `terms`); the --top collocates of \
            each single-word trend term by log_dice (the window co-occurrence pairs of `cooc --window W --sort log_dice`); \
            the --top key terms of the last period with documents against all earlier ones (as `rising --baseline` \
            with every earlier period); and the options, versions and inputs with the command that reruns it. \
            Every chart's numbers are also a table behind a "data" disclosure. The same input and options give \
            the same bytes (no run time or date is written; --jobs and --progress are left out of the rerun line). \
            Without INPUTS it reports on the bundled Corpus/.

            Example: corpuskit report corpora/reuters21578/ -o reuters.html --by month --terms crash,panic,plunge,volatility --stopwords en
            """)

    @Argument(help: "Files, folders or - for standard input (default: the bundled Corpus/).")
    var inputs: [String] = []
    @Option(name: .shortAndLong, help: "The HTML file to write (through a temporary file, renamed when complete).")
    var output: String
    @Option(help: "Period of the charts: day, week, month (default), quarter, year.")
    var by: Granularity = .month
    @Option(help: "Comma-separated terms to follow (a multi-word term is an n-gram); default: the top rising terms of the last period.")
    var terms: String?
    @Option(help: "Rows of the top terms, collocates and keyness tables.")
    var top: Int = 10
    @Option(help: "Co-occurrence window of the collocates.")
    var window: Int = 5
    @Option(help: "Keep collocate pairs, and key terms (count + baseline count), with at least this count.")
    var minCount: UInt64 = 5
    @Option(help: Stopwords.help)
    var stopwords: String?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        if output.isEmpty || output == "-" { throw ValidationError("-o: give the HTML file to write (the page is not written to standard output)") }
    }

    func run() throws {
        text.checkLocale()
        let inputs = self.inputs.isEmpty ? [bundledCorpusPath()] : self.inputs
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.periods = by
        let phrases = try terms.map { try SeriesSelection.userTerms($0, tokenizer: plan.tokenizer) } ?? []
        plan.periodPhrases = phrases
        plan.cooc = .window(window)
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        plan.filter = stop
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        undatedNote(stats)
        let data = try ReportData(stats, command: self, phrases: phrases, stopwords: stop, pipeline: pipeline)
        let page = ReportPage(data).html
        let file = try AtomicTextFile(path: output)
        do {
            try file.write(page)
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
        let out = StdoutWriter()
        writeCorpusLine(out, stats)
        out.write("wrote \(output) (\(groupedThousands(Int64(page.utf8.count))) bytes): \(data.trendsChosen ? "trends of" : "trends of the rising terms") \(data.series.map(\.label).joined(separator: ", ")); \(data.bursts.count) bursts\n")
        out.flush()
        pipeline.summarize()
    }

    /// The command line that reruns this report: `corpuskit report` and the arguments as given, without the
    /// options that do not change the page (`--jobs`, `--progress`), each quoted for a POSIX shell.
    static func rerunLine(_ arguments: [String]) -> String {
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--jobs" { i += 2; continue }
            if a.hasPrefix("--jobs=") || a == "--progress" || a == "--no-progress" { i += 1; continue }
            kept.append(a)
            i += 1
        }
        return (["corpuskit"] + kept).map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ s: String) -> String {
        let plain = !s.isEmpty && s.unicodeScalars.allSatisfy { c in
            (c.value < 128 && (c.properties.isAlphabetic || ("0"..."9").contains(c))) || "_./,:=@%+-".unicodeScalars.contains(c)
        }
        return plain ? s : "'" + s.replacingAll("'", with: "'\\''") + "'"
    }
}

extension ReportCommand: Preflight {
    /// The HTML file's folder exists and is writable, and the file is not an input (checked before reading).
    func preflight() throws { try checkOutputPlan(format: .tsv, output: output, inputs: inputs) }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        components(separatedBy: target).joined(separator: replacement)
    }
}

/// Everything the page shows, computed from one pass's merged statistics with the commands' own functions
/// (`denseTrendRows`, `BurstsCommand.burstRows`, `termRows`, `coocRows`, `periodComparison`/`comparisonRows`).
struct ReportData {
    /// Trend lines drawn when no --terms are given: the top rising terms of the last period.
    static let risingLines = 5
    /// Bursts shown on the timeline (the strongest).
    static let burstRows = 20
    /// Frequent terms whose bursts are searched besides the trend terms (as `bursts` without --terms).
    static let burstFrequentTerms = 50
    /// Input files listed with their size and CRC-32 (the first ones; `inputs_total` counts them all).
    static let listedInputs = 500

    struct PeriodBar { var period: Int64; var docs: UInt64; var tokens: UInt64 }
    struct Collocates { var node: String; var rows: [(term: String, count: UInt64, docs: UInt32, logDice: Double)]; var note: String? }
    struct Keyness {
        var target: Int64
        var baseline: [Int64]
        var targetTokens: UInt64
        var baselineTokens: UInt64
        var rows: [(term: String, count: UInt64, baseline: UInt64, perMillion: Double, baselinePerMillion: Double, logRatio: Double, g2: Double)]
    }

    let by: Granularity
    let documents: UInt64
    let tokens: UInt64
    let types: Int
    let undated: UInt64
    let firstDate: Int64?
    let lastDate: Int64?
    let periods: [PeriodBar]
    let series: [SeriesTerm]
    let trendsChosen: Bool
    let trends: [TrendRow]
    let bursts: [BurstRow]
    let burstTermCount: Int
    let topTerms: [(term: String, count: UInt64, docs: UInt32, perMillion: Double)]
    let collocates: [Collocates]
    let keyness: Keyness?
    let manifest: JSONValue
    let rerun: String
    let options: ReportCommand

    init(_ stats: CorpusStats, command c: ReportCommand, phrases: [[String]], stopwords stop: TermFilter, pipeline: Pipeline) throws {
        options = c
        by = c.by
        documents = stats.documents
        tokens = stats.totalTokens
        types = stats.typeCount
        undated = stats.undated
        firstDate = stats.firstDate
        lastDate = stats.lastDate
        if let range = stats.periodRange {
            try DenseSeriesLimit.check(range, by: c.by)
            periods = range.map { PeriodBar(period: $0, docs: stats.periodDocs($0), tokens: stats.periodTokens($0)) }
        } else {
            periods = []
        }
        let fullKeyness = Self.lastPeriodKeyness(stats, minCount: c.minCount, stopwords: stop, top: max(c.top, Self.risingLines * 4))
        trendsChosen = !phrases.isEmpty
        if trendsChosen {
            series = SeriesSelection.resolve(phrases: phrases, top: nil, stopwords: stop, stats: stats)
            SeriesSelection.warnAbsent(series, stats: stats, what: " (its trend is zeros)")
        } else if let k = fullKeyness {
            series = k.rows.filter { $0.g2 > 0 && $0.logRatio > 0 }.prefix(Self.risingLines).map {
                SeriesTerm(label: $0.term, phraseIndex: nil, id: stats.termID($0.term))
            }
        } else {
            series = SeriesSelection.resolve(phrases: [], top: Self.risingLines, stopwords: stop, stats: stats)
        }
        if let range = stats.periodRange { try DenseSeriesLimit.check(cells: series.count, periods: range.count, by: c.by) }
        trends = stats.denseTrendRows(series: series, smooth: nil)

        // Bursts: the trend terms and the most frequent terms, each once.
        var burstSeries = series
        var seen = Set(series.map(\.label))
        for t in SeriesSelection.resolve(phrases: [], top: Self.burstFrequentTerms, stopwords: stop, stats: stats) where !seen.contains(t.label) {
            seen.insert(t.label)
            burstSeries.append(t)
        }
        burstTermCount = burstSeries.count
        bursts = Array(BurstsCommand.burstRows(stats, series: burstSeries, s: 2, gamma: 1).prefix(Self.burstRows))

        topTerms = stats.termRows(excluding: stop, top: c.top).map {
            (stats.vocabulary.string($0.term), $0.count, $0.docs, stats.perMillion($0.count, of: stats.totalTokens))
        }
        collocates = Self.collocates(stats, nodes: series, minCount: c.minCount, top: c.top)
        keyness = fullKeyness.map { k in
            var k = k
            k.rows = Array(k.rows.prefix(c.top))
            return k
        }

        rerun = ReportCommand.rerunLine(Array(CommandLine.arguments.dropFirst()))
        let totals = stats.totals(inputBytes: UInt64(max(0, pipeline.inputBytes)), skipped: UInt64(pipeline.diagnostics.count(.skipped)),
                                  badDates: UInt64(pipeline.diagnostics.count(.badDate)), invalidUTF8: UInt64(pipeline.diagnostics.invalidUTF8Sequences))
        let t = c.text.tokenizerOptions
        var extra: [String: JSONValue] = [:]
        if pipeline.files.count > Self.listedInputs { extra["inputs_total"] = .int(Int64(pipeline.files.count)) }
        manifest = .object(extra.merging([
            "corpuskit_version": .string(corpusKitVersion),
            "icu_version": .string(ICUInfo.icuVersion),
            "unicode_version": .string(ICUInfo.unicodeVersion),
            "options": .object([
                "by": .string(c.by.rawValue), "terms": c.terms.map { .string($0) } ?? .null, "top": .int(Int64(c.top)),
                "window": .int(Int64(c.window)), "min_count": .int(Int64(c.minCount)),
                "stopwords": c.stopwords.map { .string($0) } ?? .null, "token_filters": stop.manifestJSON,
                "normalize": .string(t.normalization.rawValue), "strip_accents": .bool(t.stripAccents), "locale": .string(t.locale),
                "segmenter": .string(c.engine.segmenter.rawValue), "input_format": .string(c.read.inputFormat.rawValue),
            ]),
            "inputs": .array(manifestInputs(Array(pipeline.files.prefix(Self.listedInputs)))),
            "counts": FinishedTables.counts(totals, types: stats.typeCount),
        ]) { a, _ in a })
    }

    /// The last period with documents against every earlier period with documents (as `rising --period LAST
    /// --baseline N` with N the number of earlier periods); nil with fewer than two such periods.
    static func lastPeriodKeyness(_ stats: CorpusStats, minCount: UInt64, stopwords: TermFilter, top: Int) -> Keyness? {
        let withDocs = stats.periodTotals.keys.sorted()
        guard let target = withDocs.last, withDocs.count >= 2 else { return nil }
        let before = Array(withDocs.dropLast())
        let c = stats.periodComparison(target: target, baseline: before)
        guard c.targetTokens > 0, c.referenceTokens > 0 else { return nil }
        let rows = stats.comparisonRows(c, minCount: minCount, stopwords: stopwords, top: top).map {
            (stats.vocabulary.string($0.term), $0.a, $0.b, stats.perMillion($0.a, of: c.targetTokens), stats.perMillion($0.b, of: c.referenceTokens), $0.logRatio, $0.g2)
        }
        return Keyness(target: target, baseline: before, targetTokens: c.targetTokens, baselineTokens: c.referenceTokens, rows: rows)
    }

    /// The `top` collocates by log_dice of each single-word node: the window pairs holding it, in the order
    /// of `cooc --sort log_dice` (the other term of each pair is the collocate).
    static func collocates(_ stats: CorpusStats, nodes: [SeriesTerm], minCount: UInt64, top: Int) -> [Collocates] {
        guard !nodes.isEmpty else { return [] }
        let pairs = stats.coocRows(minCount: minCount, sort: .measure(.logDice))
        var out: [Collocates] = []
        for node in nodes {
            guard node.phraseIndex == nil else {
                out.append(Collocates(node: node.label, rows: [], note: "a multi-word term: the pair table holds single words only"))
                continue
            }
            guard let id = node.id else {
                out.append(Collocates(node: node.label, rows: [], note: "does not occur"))
                continue
            }
            var rows: [(term: String, count: UInt64, docs: UInt32, logDice: Double)] = []
            for r in pairs where rows.count < top {
                let a = TermID(r.key >> 32), b = TermID(r.key & 0xFFFF_FFFF)
                guard a == id || b == id, let m = stats.measures(of: r) else { continue }
                rows.append((stats.vocabulary.string(a == id ? b : a), r.count, r.docs, m.value(.logDice)))
            }
            out.append(Collocates(node: node.label, rows: rows, note: rows.isEmpty ? "no pair with count ≥ \(minCount)" : nil))
        }
        return out
    }
}
