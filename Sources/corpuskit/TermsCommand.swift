import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "Term frequencies: term, count, docs, per_million.",
        discussion: "Rows sort by count descending, then by the term's UTF-8 bytes. per_million = count / all tokens × 1,000,000 (stopwords included in the total).\n\nExample: corpuskit terms corpora/reuters21578/ --stopwords en --top 20")

    @Argument(help: "Files, folders (recursive) or - for standard input; .gz is read transparently.")
    var inputs: [String] = []

    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?

    @Option(help: "Keep terms with at least this count.")
    var minCount: UInt64 = 1

    @Option(help: "Keep terms found in at least this many documents.")
    var minDocs: UInt32 = 0

    @Option(help: Stopwords.help)
    var stopwords: String?

    @OptionGroup var group: GroupOptions
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        group.apply(to: &plan, &pipeline)
        let stop = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let columns = group.columns + [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("per_million", .double)]
        try emitTable(output, columns: columns, command: "terms", rows: .top(top)) { write in
            // Grouped: --top, --min-count and --min-docs apply within each group; per_million is of the group's tokens.
            var cells: [Cell] = []  // one row buffer, reused
            cells.reserveCapacity(columns.count)
            try group.forEach(stats) { prefix, stats in
                for r in stats.termRows(minCount: minCount, minDocs: minDocs, excluding: stop, top: output.resolvedTop(top)) {
                    cells.removeAll(keepingCapacity: true)
                    cells.append(contentsOf: prefix)
                    cells.append(stats.cell(r.term))
                    cells.append(.int(Int64(r.count)))
                    cells.append(.int(Int64(r.docs)))
                    cells.append(.double(stats.perMillion(r.count, of: stats.totalTokens)))
                    try write(cells)
                }
            }
        }
        pipeline.summarize()
    }
}
