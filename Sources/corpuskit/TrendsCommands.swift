import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

/// Resolves `--terms a,b` (normalized like tokens) or `--top K` into series terms.
struct SeriesSelection {
    var terms: [SeriesTerm]

    /// `--terms a,b,…`: each term is tokenized and normalized like the text. When that changes a term
    /// beyond letter case and spacing (`c++` → `c`, `encrypt*` → `encrypt`) it says so on stderr; a term
    /// left with no tokens (`!!!`) is dropped with a warning, and so is a repeat of an earlier term.
    static func userTerms(_ list: String, tokenizer: TokenizerOptions) throws -> [[String]] {
        let t = try Tokenizer(options: tokenizer)
        var out: [[String]] = []
        var seen: [String: String] = [:]  // counted form → the term as given
        for raw in list.split(separator: ",") {
            let given = String(raw)
            let toks = t.tokens(of: given)
            if toks.isEmpty {
                printError("corpuskit: --terms: '\(given)' has no tokens (terms are tokenized like the text); left out")
                continue
            }
            let counted = toks.joined(separator: " ")
            let plain = given.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            if counted != plain {
                printError("corpuskit: --terms: '\(given)' is counted as '\(counted)' (terms are tokenized like the text)")
            }
            if let first = seen[counted] {
                printError("corpuskit: --terms: '\(given)' is the same term as '\(first)' ('\(counted)'); counted once")
                continue
            }
            seen[counted] = given
            out.append(toks)
        }
        return out
    }

    /// Warns about every series term that occurs in no dated document (its trend rows stay, all zeros).
    static func warnAbsent(_ series: [SeriesTerm], stats: CorpusStats, what: String) {
        guard let range = stats.periodRange else { return }
        for t in series where !range.contains(where: { stats.seriesCount(t, period: $0).count > 0 }) {
            let undatedOnly = t.id.map { stats.count(of: $0) > 0 } ?? false
            printError("corpuskit: --terms: '\(t.label)' \(undatedOnly ? "occurs only in undated documents" : "does not occur in the corpus")\(what)")
        }
    }

    static func resolve(phrases: [[String]], top: Int?, stopwords: TermFilter, stats: CorpusStats) -> [SeriesTerm] {
        if !phrases.isEmpty {
            return phrases.enumerated().map { i, toks in
                toks.count == 1
                    ? SeriesTerm(label: toks[0], phraseIndex: nil, id: stats.termID(toks[0]))
                    : SeriesTerm(label: toks.joined(separator: " "), phraseIndex: i, id: nil)
            }
        }
        if let top, top > 0 {
            return stats.termRows(excluding: stopwords, top: top).map {
                SeriesTerm(label: stats.vocabulary.string($0.term), phraseIndex: nil, id: $0.term)
            }
        }
        return []
    }
}

func undatedNote(_ stats: CorpusStats) {
    if stats.undated > 0 {
        printError("corpuskit: \(stats.undated) undated document\(stats.undated == 1 ? "" : "s") left out of the periods")
    }
}

struct TrendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trends",
        abstract: "Term frequencies per period: period, period_start, term, count, docs, per_million [, smoothed_per_million].",
        discussion: """
            Periods (UTC): day YYYY-MM-DD, week ISO YYYY-Www, month YYYY-MM, quarter YYYY-Qn, year YYYY. \
            per_million is of the period's tokens. With --terms or --top, every period from the first to the \
            last dated document appears for every term, zeros included (dense, ready to plot); in a period \
            without documents per_million (and smoothed_per_million) is null — a gap, not a zero (corpuskit \
            periods lists documents and tokens per period); a term you give \
            is tokenized and normalized like the text (stderr says when that changes it, e.g. c++ → c, and names terms that do not occur), and a multi-word term is counted as an n-gram within sentences. \
            Without them, every nonzero (period, term) row with count >= --min-count. --smooth K (K odd: \
            1, 3, 5, …) adds smoothed_per_million, the centred moving average of per_million over K \
            periods — the period and (K-1)/2 on each side, truncated at the series' ends, averaging the \
            periods in the window that have documents; K = 1 is no \
            smoothing. Undated documents are left out and counted on stderr. Rows: period, then count \
            descending, then term. A dense series (--terms, --top, --smooth) may span at most \
            \(DenseSeriesLimit.grouped(DenseSeriesLimit.maxPeriods)) periods and \(DenseSeriesLimit.grouped(DenseSeriesLimit.maxCells)) rows; beyond that (say one document dated 9999 with --by day) \
            the run stops with exit 65, nothing written: use a coarser --by or a smaller --top.

            Example: corpuskit trends corpora/reuters21578/ --by month --terms "oil,stock market" --smooth 3
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Period: day, week, month, quarter, year.")
    var by: Granularity
    @Option(help: "Comma-separated terms (a multi-word term is an n-gram).")
    var terms: String?
    @Option(help: "The K most frequent terms overall (after --stopwords).")
    var top: Int?
    @Option(help: "Add smoothed_per_million: centred moving average over K periods (K odd; 1 = no smoothing).")
    var smooth: Int?
    @Option(help: "Without --terms/--top: keep (period, term) rows with at least this count; with --top: terms with at least this total.")
    var minCount: UInt64 = 1
    @Option(help: "Stopwords for --top and the sparse table: a language or a file.")
    var stopwords: String?
    @OptionGroup var group: GroupOptions
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if terms != nil && top != nil { throw ValidationError("give --terms or --top, not both") }
        if let smooth, smooth < 1 || smooth % 2 == 0 {
            throw ValidationError("--smooth \(smooth): K must be odd (1, 3, 5, …): the window is the period and (K-1)/2 periods on each side")
        }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.periods = by
        let phrases = try terms.map { try SeriesSelection.userTerms($0, tokenizer: plan.tokenizer) } ?? []
        plan.periodPhrases = phrases
        group.apply(to: &plan, &pipeline)
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let all = try pipeline.execute(inputs: inputs, plan: plan)
        undatedNote(all)
        var columns = [Column("period", .string), Column("period_start", .date), Column("term", .string), Column("count", .int64),
                       Column("docs", .int64), Column("per_million", .double, nullable: true)]
        if smooth != nil { columns.append(Column("smoothed_per_million", .double, nullable: true)) }
        var groups: [(prefix: [Cell], rows: [TrendRow])] = []
        // Grouped: each group's table as for its documents alone (its own period range, --top within it).
        try group.forEach(all) { prefix, stats in
            let name: String? = if case .string(let g)? = prefix.first { g } else { nil }
            groups.append((prefix, try rows(stats, phrases: phrases, stopwords: stop, group: name)))
        }
        try emitTable(output, columns: group.columns + columns, command: "trends", rows: .noTopOption) { write in
            for (prefix, rows) in groups {
                for r in rows {
                    var cells: [Cell] = prefix + [.string(by.label(ofOrdinal: r.period)), .date(Int32(by.startDay(ofOrdinal: r.period))), .string(r.label),
                                                  .int(Int64(r.count)), .int(Int64(r.docs)), r.perMillion.map { .double($0) } ?? .null]
                    if smooth != nil { cells.append(r.smoothed.map { .double($0) } ?? .null) }
                    try write(cells)
                }
            }
        }
        pipeline.summarize()
    }

    /// The rows of one table: dense series (--terms, --top) or the sparse table.
    func rows(_ stats: CorpusStats, phrases: [[String]], stopwords stop: TermFilter, group: String?) throws -> [TrendRow] {
        guard let range = stats.periodRange else { return [] }
        let dense = terms != nil || top != nil
        if dense || smooth != nil { try DenseSeriesLimit.check(range, by: by) }
        guard dense else { return stats.sparseTrendRows(minCount: minCount, stopwords: stop, smooth: smooth) }
        var series = SeriesSelection.resolve(phrases: phrases, top: top, stopwords: stop, stats: stats)
        if top != nil { series = series.filter { $0.id.map { stats.count(of: $0) >= minCount } ?? true } }
        try DenseSeriesLimit.check(cells: series.count, periods: range.count, by: by)
        if terms != nil { SeriesSelection.warnAbsent(series, stats: stats, what: "\(group.map { " of group \"\($0)\"" } ?? "") (its rows are zeros)") }
        return stats.denseTrendRows(series: series, smooth: smooth)
    }
}

/// The size a dense trend series may have (every period from the first to the last dated document, for
/// every term): at most `maxPeriods` periods and `maxCells` rows. Beyond that the run stops with exit 65
/// (a data error: the dates span too many periods for `--by`), naming `--by` and `--top` — one document
/// dated 9999 among 1987's news must not make `trends --by day` write millions of zero rows.
enum DenseSeriesLimit {
    static let maxPeriods = 100_000
    static let maxCells = 10_000_000

    static func check(_ range: ClosedRange<Int64>, by: Granularity) throws {
        let n = Int(range.upperBound - range.lowerBound) + 1
        guard n > maxPeriods else { return }
        throw CLIError("the dated documents run from \(by.label(ofOrdinal: range.lowerBound)) to \(by.label(ofOrdinal: range.upperBound)): \(grouped(n)) periods of --by \(by.rawValue), more than the \(grouped(maxPeriods)) a dense series may have (--terms, --top and --smooth give every period): use a coarser --by (\(coarser(by))) or leave out the documents with far dates",
                       code: ExitStatus.dataError)
    }

    static func check(cells series: Int, periods: Int, by: Granularity) throws {
        guard series > 0, series * periods > maxCells else { return }
        throw CLIError("\(grouped(series)) series × \(grouped(periods)) periods of --by \(by.rawValue) = \(grouped(series * periods)) rows, more than the \(grouped(maxCells)) a dense trends table may have: use a smaller --top or fewer --terms, or a coarser --by",
                       code: ExitStatus.dataError)
    }

    static func coarser(_ by: Granularity) -> String {
        switch by {
        case .day: return "week, month, quarter, year"
        case .week: return "month, quarter, year"
        case .month: return "quarter, year"
        default: return "year"
        }
    }

    static func grouped(_ v: Int) -> String { groupedThousands(Int64(v)) }
}

/// A row comparing a target with a reference (rising, keyness).
struct RisingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rising",
        abstract: "Terms rising in one period against the periods before it: term, count, baseline_count, per_million, baseline_per_million, log_ratio, g2.",
        discussion: """
            Target: period P (default: the last with documents). Baseline: the K periods before P that have \
            documents (default 4). log_ratio = log2 of the ratio of relative frequencies (a zero count \
            replaced by 0.5); g2 = log-likelihood of the 2×2 table, negative when the term fell. Sorted by g2.

            Example: corpuskit rising corpora/reuters21578/ --by month --period 1987-10 --stopwords en --top 12
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Period: day, week, month, quarter, year.")
    var by: Granularity
    @Option(help: "The target period's label, e.g. 1987-10 (default: the last period with documents).")
    var period: String?
    @Option(help: "Number of earlier periods with documents forming the baseline.")
    var baseline: Int = 4
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @Option(help: "Keep terms with count + baseline_count at least this.")
    var minCount: UInt64 = 1
    @Option(help: "Stopwords: a language or a file.")
    var stopwords: String?
    @Option(help: "Keep terms found in at least this many documents of the target (drops words one or two documents repeat, such as signatures).")
    var minDocs: UInt32 = 0
    @Option(help: "Keep terms whose DP (Gries 2008) over the target's documents is at most this (0 = spread as the documents' sizes, near 1 = in one document); costs a per-document count of every term.")
    var maxDp: Double?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try TargetFilter.validate(maxDp)
        guard baseline >= 1 else { throw ValidationError("--baseline must be at least 1") }
        if let period { _ = try parsePeriodLabel(period, by: by, option: "--period") }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.periods = by
        plan.documentTerms = maxDp != nil
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        undatedNote(stats)
        let withDocs = stats.periodTotals.keys.sorted()
        guard !withDocs.isEmpty else { throw ValidationError("no dated documents") }
        let target: Int64
        if let period {
            let o = try parsePeriodLabel(period, by: by, option: "--period")
            guard stats.periodTotals[o] != nil else { throw ValidationError("no documents in period \(period)") }
            target = o
        } else {
            target = withDocs.last!
        }
        let before = withDocs.filter { $0 < target }.suffix(baseline)
        guard !before.isEmpty else { throw ValidationError("no period with documents before \(by.label(ofOrdinal: target))") }
        if before.count < baseline {
            printError("corpuskit: only \(before.count) period\(before.count == 1 ? "" : "s") with documents before \(by.label(ofOrdinal: target)) (asked for \(baseline))")
        }
        let comparison = stats.periodComparison(target: target, baseline: Array(before))
        let nt = comparison.targetTokens, nb = comparison.referenceTokens
        printError("corpuskit: target \(by.label(ofOrdinal: target)) (\(nt) tokens) against \(before.map { by.label(ofOrdinal: $0) }.joined(separator: ", ")) (\(nb) tokens)")
        let dp = maxDp.map { _ in stats.documentDP(counts: comparison.target, include: { $0.map { by.ordinal(ofSeconds: $0) == target } ?? false }) }
        let keep = TargetFilter(minDocs: minDocs, maxDP: maxDp, docs: { stats.periodCount(period: target, term: $0).docs }, dp: dp).predicate
        let rows = stats.comparisonRows(comparison, minCount: minCount, stopwords: stop, top: output.resolvedTop(top), keep: keep)
        let columns = [Column("term", .string), Column("count", .int64), Column("baseline_count", .int64), Column("per_million", .double),
                       Column("baseline_per_million", .double), Column("log_ratio", .double), Column("g2", .double)]
        try emitTable(output, columns: columns, command: "rising", rows: .top(top)) { write in
            for r in rows {
                try write([stats.cell(r.term), .int(Int64(r.a)), .int(Int64(r.b)), .double(stats.perMillion(r.a, of: nt)),
                           .double(stats.perMillion(r.b, of: nb)), .double(r.logRatio), .double(r.g2)])
            }
        }
        pipeline.summarize()
    }
}

struct BurstsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bursts",
        abstract: "Kleinberg burst detection per term: term, start, end, weight.",
        discussion: """
            Two-state Kleinberg (batched) over document counts: r_t documents with the term among d_t documents \
            in period t, over the periods that have documents only (a period without documents carries no \
            evidence, so it is left out of the state sequence and a burst starts and ends in periods with \
            documents); p0 = Σr/Σd, p1 = min(s·p0, 0.9999) with s = 2; entering the burst state costs γ·ln(T) \
            with γ = 1 (T = number of periods with documents), leaving it is free. A burst is a maximal run of \
            the burst state; weight = Σ over the run of (cost in state 0 − cost in state 1). Sorted by weight \
            descending, then term, then start.

            Example: corpuskit bursts corpora/reuters21578/ --by week --terms crash,louvre,gulf
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Period: day, week, month (quarter and year also work).")
    var by: Granularity
    @Option(help: "Comma-separated terms.")
    var terms: String?
    @Option(help: "The K most frequent terms (default 50 when --terms is not given).")
    var top: Int?
    @Option(help: "Kleinberg's s: the burst state's rate is s times the base rate.")
    var s: Double = 2
    @Option(help: "Kleinberg's γ: the cost of entering a burst, times ln(T).")
    var gamma: Double = 1
    @Option(help: "Stopwords for --top: a language or a file.")
    var stopwords: String?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        text.checkLocale()
        guard s > 1, gamma >= 0 else { throw ValidationError("need s > 1 and gamma >= 0") }
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.periods = by
        let phrases = try terms.map { try SeriesSelection.userTerms($0, tokenizer: plan.tokenizer) } ?? []
        plan.periodPhrases = phrases
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        undatedNote(stats)
        var rows: [BurstRow] = []
        if stats.periodRange != nil {
            let series = SeriesSelection.resolve(phrases: phrases, top: terms == nil ? (top ?? 50) : nil, stopwords: stop, stats: stats)
            if terms != nil { SeriesSelection.warnAbsent(series, stats: stats, what: "") }
            rows = Self.burstRows(stats, series: series, s: s, gamma: gamma)
        }
        let columns = [Column("term", .string), Column("start", .string), Column("end", .string), Column("weight", .double)]
        try emitTable(output, columns: columns, command: "bursts", rows: .noTopOption) { write in
            for r in rows {
                try write([.string(r.label), .string(by.label(ofOrdinal: r.burst.start)), .string(by.label(ofOrdinal: r.burst.end)), .double(r.burst.weight)])
            }
        }
        pipeline.summarize()
    }
}

/// One burst of a series term (a row of `bursts`).
struct BurstRow {
    var label: String
    var burst: Burst
}

extension BurstsCommand {
    /// The bursts of each series term over the periods that have documents only (see the discussion),
    /// sorted by weight descending, then term, then start: the rows of `bursts` (and of `report`).
    static func burstRows(_ stats: CorpusStats, series: [SeriesTerm], s: Double, gamma: Double) -> [BurstRow] {
        guard let range = stats.periodRange else { return [] }
        let periods = range.filter { stats.periodDocs($0) > 0 }
        let d = periods.map { Double(stats.periodDocs($0)) }
        var rows: [BurstRow] = []
        for t in series {
            let r = periods.map { Double(stats.seriesCount(t, period: $0).docs) }
            for b in kleinbergBursts(r: r, d: d, s: s, gamma: gamma) {
                rows.append(BurstRow(label: t.label, burst: Burst(start: periods[Int(b.start)], end: periods[Int(b.end)], weight: b.weight)))
            }
        }
        rows.sort { x, y in
            if x.burst.weight != y.burst.weight { return x.burst.weight > y.burst.weight }
            if x.label != y.label { return Array(x.label.utf8).lexicographicallyPrecedes(Array(y.label.utf8)) }
            return x.burst.start < y.burst.start
        }
        return rows
    }
}

/// A period label given on the command line (`--period`), or a usage error saying why it is not one.
func parsePeriodLabel(_ s: String, by: Granularity, option: String) throws -> Int64 {
    switch by.parseLabel(s) {
    case .ordinal(let o): return o
    case .impossible(let why): throw ValidationError("\(option) \(s): no such \(by.rawValue): \(why)")
    case .malformed: throw ValidationError("\(option) \(s): not a \(by.rawValue) label (e.g. \(by.exampleLabel))")
    }
}

/// `FROM..TO` with FROM/TO as YYYY-MM-DD, YYYY-MM or YYYY (whole period), inclusive, in days. A bound that
/// names a day or month that does not exist (`1993-04-31`) is a usage error, as is a malformed one.
func parseDateRange(_ s: String, option: String) throws -> ClosedRange<Int64> {
    let parts = s.components(separatedBy: "..")
    guard parts.count == 2 else { throw ValidationError("\(option) \(s): expected FROM..TO, e.g. 1987-10-01..1987-10-31 or 1987-10..1987-10") }
    func bound(_ x: String, end: Bool) throws -> Int64 {
        for g in [Granularity.day, .month, .year] {
            switch g.parseLabel(x) {
            case .ordinal(let o): return end ? g.startDay(ofOrdinal: o + 1) - 1 : g.startDay(ofOrdinal: o)
            case .impossible(let why): throw ValidationError("\(option) \(s): \(x) is not a date: \(why)")
            case .malformed: continue
            }
        }
        throw ValidationError("\(option) \(s): '\(x)' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    }
    let a = try bound(parts[0], end: false), b = try bound(parts[1], end: true)
    guard a <= b else { throw ValidationError("\(option) \(s): \(parts[0]) is after \(parts[1])") }
    return a...b
}

extension String {
    func components(separatedBy sep: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}

struct KeynessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keyness",
        abstract: "Keyness of a target against a reference: term, target_count, reference_count, target_per_million, reference_per_million, g2, log_ratio.",
        discussion: """
            Either two corpora (--target INPUTS --reference INPUTS), or one corpus split by dates \
            (INPUTS --target-dates FROM..TO --reference-dates FROM..TO; inclusive, FROM/TO as YYYY-MM-DD, \
            YYYY-MM or YYYY), or by a metadata field (INPUTS --group-by FIELD --target-group VALUE \
            [--reference-group VALUE]; the default reference is every document without the target value). g2 = log-likelihood of the 2×2 table, negative when the term is relatively \
            rarer in the target; log_ratio = log2 of the ratio of relative frequencies (zeros replaced by 0.5). \
            Sorted by g2 descending, then term.

            Example: corpuskit keyness corpora/reuters21578/ --target-dates 1987-10..1987-10 --reference-dates 1987-03..1987-03 --stopwords en
            """)

    @Argument(help: "The corpus to split by dates (with --target-dates/--reference-dates).")
    var inputs: [String] = []
    @Option(parsing: .upToNextOption, help: "Target corpus inputs.")
    var target: [String] = []
    @Option(parsing: .upToNextOption, help: "Reference corpus inputs.")
    var reference: [String] = []
    @Option(help: "Target date range FROM..TO.")
    var targetDates: String?
    @Option(help: "Reference date range FROM..TO.")
    var referenceDates: String?
    @Option(help: ArgumentHelp("The metadata field of --target-group/--reference-group (a JSONL field, CSV/TSV column, Reuters element such as topics, e-mail header).", valueName: "field"))
    var groupBy: String?
    @Option(help: "Target: the documents with this value of --group-by.")
    var targetGroup: String?
    @Option(help: "Reference: the documents with this value of --group-by (default: every document without the target value).")
    var referenceGroup: String?
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @Option(help: "Keep terms with target_count + reference_count at least this.")
    var minCount: UInt64 = 1
    @Option(help: "Stopwords: a language or a file.")
    var stopwords: String?
    @Option(help: "Keep terms found in at least this many documents of the target (drops words one or two documents repeat, such as signatures).")
    var minDocs: UInt32 = 0
    @Option(help: "Keep terms whose DP (Gries 2008) over the target's documents is at most this (0 = spread as the documents' sizes, near 1 = in one document); costs a per-document count of every term.")
    var maxDp: Double?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try TargetFilter.validate(maxDp)
        let byCorpora = !target.isEmpty || !reference.isEmpty
        let byDates = targetDates != nil || referenceDates != nil
        let byGroups = groupBy != nil || targetGroup != nil || referenceGroup != nil
        if [byCorpora, byDates, byGroups].filter({ $0 }).count != 1 {
            throw ValidationError("use one of: --target/--reference INPUTS; INPUTS with --target-dates/--reference-dates; INPUTS with --group-by FIELD --target-group VALUE")
        }
        if byGroups && (groupBy == nil || targetGroup == nil || inputs.isEmpty) { throw ValidationError("give INPUTS, --group-by FIELD and --target-group VALUE (--reference-group is optional)") }
        if byGroups && maxDp != nil { throw ValidationError("--max-dp works with --target-dates or --target/--reference, not yet with --target-group") }
        if let groupBy, groupBy.isEmpty { throw ValidationError("--group-by: give a field name") }
        if byCorpora && (target.isEmpty || reference.isEmpty) { throw ValidationError("give both --target and --reference") }
        if byDates && (targetDates == nil || referenceDates == nil || inputs.isEmpty) { throw ValidationError("give INPUTS, --target-dates and --reference-dates") }
        if let targetDates { _ = try parseDateRange(targetDates, option: "--target-dates") }
        if let referenceDates { _ = try parseDateRange(referenceDates, option: "--reference-dates") }
    }

    func run() throws {
        text.checkLocale()
        var plan0 = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan0.documentTerms = maxDp != nil
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan0.tokenizer, firstPass: .init(inputs: inputs + target + reference, read: read, run: engine))
        let stats: CorpusStats
        let comparison: Comparison
        let targetDocs: (TermID) -> UInt32
        let inTarget: (Int64?) -> Bool
        var pipeline = try Pipeline(read: read, run: engine)
        if let targetDates, let referenceDates {
            var plan = plan0
            plan.dateRanges = [try parseDateRange(targetDates, option: "--target-dates"), try parseDateRange(referenceDates, option: "--reference-dates")]
            stats = try pipeline.execute(inputs: inputs, plan: plan)
            comparison = stats.dateRangeComparison()
            let range = plan.dateRanges[0]
            targetDocs = { stats.groupCounts(group: 0, term: $0).docs }
            inTarget = { $0.map { range.contains(CivilDate.floorDiv($0, 86_400)) } ?? false }
            if stats.undated > 0 { printError("corpuskit: \(stats.undated) undated documents left out") }
        } else if let groupBy, let targetGroup {
            var plan = plan0
            plan.groupBy = groupBy
            pipeline.keepField(groupBy)
            stats = try pipeline.execute(inputs: inputs, plan: plan)
            let names = Set(stats.groupNames)
            for g in [targetGroup] + (referenceGroup.map { [$0] } ?? []) where !names.contains(g) {
                throw CLIError("no document has \(groupBy) = \"\(g)\" (\(names.count) values found; `corpuskit docs INPUTS --field \(groupBy)` lists them)", code: ExitStatus.dataError)
            }
            let t = stats.groupView(targetGroup)
            comparison = stats.groupComparison(target: t, reference: referenceGroup.map { stats.groupView($0) })
            targetDocs = { Int($0) < t.docs.count ? t.docs[Int($0)] : 0 }
            inTarget = { _ in true }
        } else {
            // Two corpora: one pass each, then the reference's terms are re-keyed into the target's vocabulary.
            stats = try pipeline.execute(inputs: target, plan: plan0)
            var refPipeline = try Pipeline(read: read, run: engine)
            let ref = try refPipeline.execute(inputs: reference, plan: plan0)
            comparison = stats.comparison(against: ref)
            targetDocs = { Int($0) < stats.docs.count ? stats.docs[Int($0)] : 0 }
            inTarget = { _ in true }
            refPipeline.summarize()
        }
        let nt = comparison.targetTokens, nb = comparison.referenceTokens
        guard nt > 0, nb > 0 else { throw ValidationError("the \(nt == 0 ? "target" : "reference") has no tokens") }
        let dp = maxDp.map { _ in stats.documentDP(counts: comparison.target, include: inTarget) }
        let keep = TargetFilter(minDocs: minDocs, maxDP: maxDp, docs: targetDocs, dp: dp).predicate
        let rows = stats.comparisonRows(comparison, minCount: minCount, stopwords: stop, top: output.resolvedTop(top), keep: keep)
        let columns = [Column("term", .string), Column("target_count", .int64), Column("reference_count", .int64), Column("target_per_million", .double),
                       Column("reference_per_million", .double), Column("g2", .double), Column("log_ratio", .double)]
        try emitTable(output, columns: columns, command: "keyness", rows: .top(top)) { write in
            for r in rows {
                try write([stats.cell(r.term), .int(Int64(r.a)), .int(Int64(r.b)), .double(stats.perMillion(r.a, of: nt)),
                           .double(stats.perMillion(r.b, of: nb)), .double(r.g2), .double(r.logRatio)])
            }
        }
        pipeline.summarize()
    }
}

/// `--min-docs` and `--max-dp` of `rising` and `keyness`: terms concentrated in a few documents of the
/// target (signatures, boilerplate, a quoted table) left out before ranking.
struct TargetFilter {
    var minDocs: UInt32
    var maxDP: Double?
    var docs: (TermID) -> UInt32
    var dp: [TermID: Double]?

    static func validate(_ maxDP: Double?) throws {
        if let d = maxDP, !(d >= 0 && d <= 1) { throw ValidationError("--max-dp must be between 0 and 1") }
    }

    /// nil when no filter is asked for. A term absent from the target has no DP and passes --max-dp (its
    /// concentration is the reference's).
    var predicate: ((TermID) -> Bool)? {
        if minDocs == 0 && maxDP == nil { return nil }
        return { t in
            if minDocs > 0 && docs(t) < minDocs { return false }
            if let m = maxDP, let d = dp?[t], d > m { return false }
            return true
        }
    }
}
