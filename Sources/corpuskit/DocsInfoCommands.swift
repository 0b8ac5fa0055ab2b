import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU

struct DocsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "One row per document: id, source, date, title, tokens, then each --field — how your files were read.",
        discussion: "Example: corpuskit docs Corpus/")

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "Rows to print (0 = all; default 25 on a terminal, else all).")
    var top: Int?
    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.perDocument = true
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        // One column per --field (after the fixed ones); several values joined by "; ", none = empty.
        let fieldNames = pipeline.readerOptions.fields
        var columns = [Column("id", .string), Column("source", .string), Column("date", .string), Column("title", .string), Column("tokens", .int64)]
        for name in fieldNames where !columns.contains(where: { $0.name == name }) { columns.append(Column(name, .string)) }
        let shown = columns.count - 5
        try emitTable(output, columns: columns, command: "docs", rows: .top(top)) { write in
            for (i, r) in stats.records.enumerated() {
                if let top, top > 0 && i >= top { break }
                var row: [Cell] = [.string(r.id), .string(r.source), .string(r.date.map { isoDateTime(seconds: $0) } ?? ""), .string(r.title), .int(Int64(r.tokens))]
                for name in columns.suffix(shown).map(\.name) { row.append(.string((r.fields[name] ?? []).joined(separator: "; "))) }
                try write(row)
            }
        }
        pipeline.summarize()
    }
}

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Corpus summary: documents, tokens, types, dates, undated, skipped, invalid UTF-8, bytes, versions.",
        discussion: "Example: corpuskit info corpora/reuters21578/ --format json")

    enum InfoFormat: String, ExpressibleByArgument { case table, json }

    @Argument(help: "Files, folders or - for standard input.")
    var inputs: [String] = []
    @Option(help: "table (default) or json.")
    var format: InfoFormat = .table
    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions

    func run() throws {
        text.checkLocale()
        var pipeline = try Pipeline(read: read, run: engine)
        let stats = try pipeline.execute(inputs: inputs, plan: AnalysisPlan(tokenizer: text.tokenizerOptions))
        let d = pipeline.diagnostics
        let fields: [(String, JSONValue)] = [
            ("documents", .int(Int64(stats.documents))),
            ("tokens", .int(Int64(stats.totalTokens))),
            ("types", .int(Int64(stats.typeCount))),
            ("first_date", stats.firstDate.map { .string(isoDate(seconds: $0)) } ?? .null),
            ("last_date", stats.lastDate.map { .string(isoDate(seconds: $0)) } ?? .null),
            ("undated", .int(Int64(stats.undated))),
            ("skipped", .int(Int64(d.count(.skipped)))),
            ("invalid_utf8", .int(Int64(d.invalidUTF8Sequences))),
            ("bytes", .int(pipeline.inputBytes)),
            ("icu_version", .string(ICUInfo.icuVersion)),
            ("unicode_version", .string(ICUInfo.unicodeVersion)),
        ]
        let out = StdoutWriter()
        switch format {
        case .json:
            out.write(JSONValue.object(Dictionary(uniqueKeysWithValues: fields)).serialized(pretty: true) + "\n")
        case .table:
            let width = fields.map(\.0.count).max() ?? 0
            for (k, v) in fields {
                let value: String
                switch v {
                case .string(let s): value = s
                case .int(let i): value = String(i)
                case .null: value = "—"
                default: value = v.serialized(pretty: false)
                }
                out.write(k + String(repeating: " ", count: width - k.count + 2) + value + "\n")
            }
        }
        out.flush()
        pipeline.summarize()
    }
}
