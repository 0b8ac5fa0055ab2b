import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

extension PairSort: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    /// As typed: `count`, `log_dice` … (not `measure(CorpusEngine.MeasureName.logDice)`).
    public var defaultValueDescription: String {
        switch self {
        case .count: return "count"
        case .measure(let m): return m.rawValue
        }
    }
    public static var allValueStrings: [String] { ["count"] + MeasureName.allCases.map(\.rawValue) }
}

struct NgramsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ngrams",
        abstract: "N-grams within sentences: ngram, count, docs (+ pmi, npmi, t_score, g2, chi2, dice, log_dice for n = 2).",
        discussion: """
            An n-gram is n consecutive tokens of one sentence, joined by one space. --skip K counts skip-grams \
            (up to K tokens skipped between neighbours, as quanteda's skip = 0:K). With --stopwords, an n-gram \
            containing a stopword is not counted; positions still count, so no false adjacency is created. \
            Measures use f1, f2 = the words' unigram counts and N = all tokens.

            Example: corpuskit ngrams corpora/reuters21578/ -n 2 --stopwords en --min-count 20 --sort log_dice --top 10
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(name: .short, help: "N-gram length, 2 to 5.")
    var n: Int = 2
    @Option(help: "Skip-grams: up to K tokens skipped between neighbours.")
    var skip: Int = 0
    @Option(help: "Keep n-grams with at least this count (applied after the merge).")
    var minCount: UInt64 = 1
    @Option(help: "Keep n-grams found in at least this many documents.")
    var minDocs: UInt32 = 0
    @Option(help: Stopwords.help)
    var stopwords: String?
    @Option(help: "Sort by count (default) or a measure: pmi, npmi, t_score, g2, chi2, dice, log_dice (n = 2).")
    var sort: PairSort = .count
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard (2...5).contains(n) else { throw ValidationError("-n must be 2 to 5") }
        guard skip >= 0 && skip <= 10 else { throw ValidationError("--skip must be 0 to 10") }
        if case .measure = sort, n != 2 { throw ValidationError("measures exist for n = 2 only: use --sort count") }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.ngramN = n
        plan.ngramSkip = skip
        plan.filter = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let rows = stats.ngramRows(minCount: minCount, minDocs: minDocs, sort: sort, top: output.resolvedTop(top))
        var columns = [Column("ngram", .string), Column("count", .int64), Column("docs", .int64)]
        if n == 2 { columns += measureColumns }
        try stats.byteRanks.withUnsafeBufferPointer { ranks in
            try emitTableRows(output, columns: columns, command: "ngrams", rows: .top(top), jobs: engine.jobCount, count: rows.count) { i, cells in
                stats.appendNgramCells(rows[i], ranks: ranks, to: &cells)
            }
        }
        pipeline.summarize()
    }
}

struct CoocCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooc",
        abstract: "Co-occurrence pairs: term1, term2, count, docs and the association measures.",
        discussion: """
            Window scope (default, W = 5): every pair of token positions i < j in one sentence with j − i ≤ W \
            whose terms differ, keyed (term1, term2) with term1 < term2 in UTF-8 byte order, counted once per \
            position pair; measures with f = unigram counts, N = all tokens. --scope sentence (document): count = \
            sentences (documents) containing both terms; measures with f = sentences (documents) containing the \
            term and N = sentences (documents).

            Example: corpuskit cooc corpora/reuters21578/ --window 5 --stopwords en --min-count 50 --sort log_dice --top 10
            """)

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Window size W (token distance), default 5.")
    var window: Int?
    @Option(help: "Scope: window (default), sentence or document.")
    var scope: String = "window"
    @Option(help: "Keep pairs with at least this count (applied after the merge).")
    var minCount: UInt64 = 1
    @Option(help: "Keep pairs found in at least this many documents.")
    var minDocs: UInt32 = 0
    @Option(help: "Stopwords: a language or a file; pairs with a stopword are not counted.")
    var stopwords: String?
    @Option(help: "Sort by count (default) or a measure: pmi, npmi, t_score, g2, chi2, dice, log_dice.")
    var sort: PairSort = .count
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    var coocScope: CoocScope {
        get throws {
            switch scope {
            case "window": return .window(window ?? 5)
            case "sentence":
                if window != nil { throw ValidationError("--window and --scope sentence exclude each other") }
                return .sentence
            case "document":
                if window != nil { throw ValidationError("--window and --scope document exclude each other") }
                return .document
            default: throw ValidationError("--scope must be window, sentence or document")
            }
        }
    }

    func validate() throws {
        _ = try coocScope
        if let window, window < 1 { throw ValidationError("--window must be at least 1") }
    }

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.cooc = try coocScope
        plan.filter = try filters.make(stopwords: stopwords, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let rows = stats.coocRows(minCount: minCount, minDocs: minDocs, sort: sort, top: output.resolvedTop(top))
        let columns = [Column("term1", .string), Column("term2", .string), Column("count", .int64), Column("docs", .int64)] + measureColumns
        try stats.byteRanks.withUnsafeBufferPointer { ranks in
            try emitTableRows(output, columns: columns, command: "cooc", rows: .top(top), jobs: engine.jobCount, count: rows.count) { i, cells in
                stats.appendCoocCells(rows[i], ranks: ranks, to: &cells)
            }
        }
        pipeline.summarize()
    }
}

struct CollocatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collocates",
        abstract: "Collocates of one node word: term, count, left, right, docs and the measures.",
        discussion: """
            For each occurrence of the node (normalized like any token; several words = an n-gram within a \
            sentence), every token within W positions before it (left) or after it (right) in the same \
            sentence is counted once per occurrence; the node's own term is not its collocate. Measures with \
            O = count, f1 = node frequency, f2 = the collocate's count, N = all tokens.

            Example: corpuskit collocates crude corpora/reuters21578/ --window 5 --top 10
            """)

    @Argument(help: "The node word (or phrase).")
    var word: String
    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Window W on each side, default 5.")
    var window: Int = 5
    @Option(help: "Keep collocates with at least this count.")
    var minCount: UInt64 = 1
    @Option(help: "Sort by log_dice (default), count or another measure.")
    var sort: PairSort = .measure(.logDice)
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        text.checkLocale()
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        let node = try Tokenizer(options: plan.tokenizer).tokens(of: word)
        guard !node.isEmpty else { throw ValidationError("the node '\(word)' has no tokens") }
        plan.collocateNode = node
        plan.collocateWindow = window
        let filter = try filters.make(stopwords: nil, tokenizer: plan.tokenizer, firstPass: .init(inputs: inputs, read: read, run: engine))
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        if stats.nodeCount == 0 { printError("corpuskit: the node '\(node.joined(separator: " "))' does not occur") }
        let rows = stats.collocateRows(minCount: minCount, excluding: filter, sort: sort, top: output.resolvedTop(top))
        let columns = [Column("term", .string), Column("count", .int64), Column("left", .int64), Column("right", .int64), Column("docs", .int64)] + measureColumns
        try emitTable(output, columns: columns, command: "collocates", rows: .top(top)) { write in
            var cells: [Cell] = []  // one row buffer, reused
            cells.reserveCapacity(columns.count)
            for r in rows {
                cells.removeAll(keepingCapacity: true)
                cells.append(stats.cell(r.term))
                cells.append(.int(Int64(r.count)))
                cells.append(.int(Int64(r.left)))
                cells.append(.int(Int64(r.right)))
                cells.append(.int(Int64(r.docs)))
                r.measures.append(to: &cells)
                try write(cells)
            }
        }
        pipeline.summarize()
    }
}
