import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

/// `corpuskit periods`: how many documents and tokens each period holds, every period from the first to
/// the last dated one, so gaps in a corpus (and the periods a trend's per_million rests on) are visible.
struct PeriodsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "periods",
        abstract: "Documents and tokens per period: period, period_start, documents, tokens.",
        discussion: """
            One row per period (UTC; day YYYY-MM-DD, week ISO YYYY-Www, month YYYY-MM, quarter YYYY-Qn, year \
            YYYY) from the first to the last dated document, in calendar order; a period without documents has \
            a row with 0 documents and 0 tokens, so gaps are visible. tokens are the period's tokens (the N of \
            trends' per_million). period_start is the period's first day (a DATE in Parquet). Undated documents \
            are left out and counted on stderr.

            Example: corpuskit periods corpora/reuters21578/ --by month
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Period: day, week, month, quarter, year.")
    var by: Granularity
    @OptionGroup var group: GroupOptions
    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    static let columns = [Column("period", .string), Column("period_start", .date), Column("documents", .int64), Column("tokens", .int64)]

    /// The rows: every period of `stats.periodRange`, empty ones with zeros — at most
    /// `DenseSeriesLimit.maxPeriods` of them (exit 65 beyond, as for dense trends).
    static func rows(_ stats: CorpusStats, by: Granularity) throws -> [[Cell]] {
        guard let range = stats.periodRange else { return [] }
        try DenseSeriesLimit.check(range, by: by)
        return range.map { p in
            [.string(by.label(ofOrdinal: p)), .date(Int32(by.startDay(ofOrdinal: p))),
             .int(Int64(stats.periodDocs(p))), .int(Int64(stats.periodTokens(p)))]
        }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.periods = by
        group.apply(to: &plan, &pipeline)
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        undatedNote(stats)
        var rows: [[Cell]] = []
        // Grouped: each group's periods from its own first to its last dated document.
        try group.forEach(stats) { prefix, stats in rows += try Self.rows(stats, by: by).map { prefix + $0 } }
        try emitTable(output, columns: group.columns + Self.columns, command: "periods", rows: .noTopOption) { write in
            for r in rows { try write(r) }
        }
        pipeline.summarize()
    }
}
