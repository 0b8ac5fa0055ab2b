import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

extension ConcordanceSort: ExpressibleByArgument {}

struct KwicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kwic",
        abstract: "Concordance (keyword in context): every hit of a term, phrase, glob or regex with its context.",
        discussion: """
            QUERY is normalized like tokens (Iran finds IRAN; iran’s finds iran's): one word is a term, several \
            words a phrase (consecutive tokens of one sentence), a word with * or ? a glob on normalized terms \
            (encrypt*). With --regex, QUERY is one regular expression (Swift Regex syntax, close to ICU's: \
            \\p{Han}, (?i), alternation) matched against whole normalized terms — lowercase under the default \
            normalization.

            Columns: doc, date, source (file:line), start and end (UTF-8 byte offsets of the match in the analyzed \
            text: title, blank line, body), left, match, right. Context is the original text of --context tokens \
            on each side, whitespace runs shown as one space; it stops at the document's edges (reaching its \
            first or last character there) but may cross sentences.

            Every hit is counted; --limit keeps the first N by --sort (default: 25 on a terminal, else all; 0 = \
            all). --sort left1 orders by the normalized word just left of the match (left2: the one before; \
            right1, right2 likewise; match: the matched words), then by UTF-8 bytes, ties in document order; a \
            missing word sorts first. --sample N picks N hits at random, the same for a --seed whatever --jobs, \
            then orders them by --sort. On a terminal (or with --format table on standard output) the lines are \
            aligned on the match, and the number of hits is said below them.

            Example: corpuskit kwic crude corpora/reuters21578/ --context 5 --limit 10
            """)

    @Argument(help: "A term, a phrase (\"stock market\"), a glob (encrypt*) or, with --regex, a regular expression.")
    var query: String

    @Argument(help: "Files, folders (recursive) or - for standard input; .gz is read transparently.")
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Tokens of context on each side.", valueName: "n"))
    var context: Int = 5

    @Option(help: "Order: position (document order), left1, left2, right1, right2, match.")
    var sort: ConcordanceSort = .position

    @Option(help: ArgumentHelp("Hits to keep, the first by --sort (0 = all; default 25 on a terminal, else all).", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Keep a random sample of N hits (reproducible with --seed, the same for any --jobs).", valueName: "n"))
    var sample: Int?

    @Option(help: ArgumentHelp("Seed of --sample.", valueName: "s"))
    var seed: UInt64 = 1

    @Flag(help: "QUERY is a regular expression on whole normalized terms.")
    var regex = false

    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard context >= 0 && context <= 1000 else { throw ValidationError("--context must be 0 to 1000") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 (all) or more") }
        if let sample {
            guard sample >= 1 else { throw ValidationError("--sample must be 1 or more") }
            if limit != nil { throw ValidationError("--sample and --limit exclude each other (--sample N keeps N hits)") }
        }
    }

    /// The hits kept: --limit (0 = all), else 25 on a terminal table, else all.
    var keptLimit: Int? {
        if let limit { return limit == 0 ? nil : limit }
        return output.isTerminalTable ? OutputOptions.terminalRows : nil
    }

    /// A table on standard output (a terminal, or piped with --format table): aligned concordance lines.
    var alignedLines: Bool { output.resolvedFormat == .table && (output.output == nil || output.output == "-") }

    func run() throws {
        text.checkLocale()
        let elements: [ConcordanceElement]
        do {
            elements = try ConcordanceQuery.parse(query, regex: regex, tokenizer: text.tokenizerOptions)
        } catch let e as ConcordanceQueryError {
            throw CLIError.usage(e.description)
        }
        var pipeline = try Pipeline(read: read, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        let q = ConcordanceQuery(elements: elements, context: context, sort: sort, limit: keptLimit,
                                 sample: sample.map { (count: $0, seed: seed) })
        plan.concordance = q
        _ = try pipeline.execute(inputs: inputs, plan: plan)
        let (hits, total) = q.result()
        if alignedLines {
            printAligned(hits, total: total)
        } else {
            let columns = [Column("doc", .string), Column("date", .string), Column("source", .string), Column("start", .int64),
                           Column("end", .int64), Column("left", .string), Column("match", .string), Column("right", .string)]
            try emitTable(output, columns: columns, command: "kwic", rows: .top(nil)) { write in
                for h in hits {
                    try write([.string(h.id), .string(h.date.map { isoDateTime(seconds: $0) } ?? ""), .string(h.source),
                               .int(Int64(h.start)), .int(Int64(h.end)), .string(h.left), .string(h.match), .string(h.right)])
                }
            }
        }
        pipeline.summarize()
    }

    /// AntConc-style lines fitted to the terminal: doc id, left context right-aligned (cut from the left),
    /// the match in its own column, right context (cut at the right); then "shown N of M hits".
    func printAligned(_ hits: [ConcordanceHit], total: Int) {
        let out = StdoutWriter()
        let width = max(40, terminalWidth() ?? 100)
        // An id that is a path (file:line, plain-text inputs) is shown from its file name.
        let ids = hits.map { Self.visible($0.id.split(separator: "/").last.map(String.init) ?? $0.id) }
        let lefts = hits.map { Self.visible($0.left) }
        let matches = hits.map { Self.visible($0.match) }, rights = hits.map { Self.visible($0.right) }
        let docW = min(20, max(3, ids.map(DisplayWidth.of).max() ?? 0))
        let matchW = min(30, max(5, matches.map(DisplayWidth.of).max() ?? 0))
        let avail = max(10, width - docW - matchW - 6)
        let maxLeft = max(4, lefts.map(DisplayWidth.of).max() ?? 0), maxRight = max(5, rights.map(DisplayWidth.of).max() ?? 0)
        var leftW = min(maxLeft, max(avail / 2, avail - maxRight))
        let rightW = min(maxRight, avail - leftW)
        leftW = min(maxLeft, avail - rightW)
        func line(_ d: String, _ l: String, _ m: String, _ r: String) -> String {
            let d = Self.cutRight(d, docW), l = Self.cutLeft(l, leftW), m = Self.cutRight(m, matchW), r = Self.cutRight(r, rightW)
            let s = Self.padRight(d, docW) + "  " + String(repeating: " ", count: leftW - DisplayWidth.of(l)) + l + "  "
                + Self.padRight(m, matchW) + "  " + r
            var t = Substring(s)
            while t.last == " " { t = t.dropLast() }
            return t + "\n"
        }
        out.write(line("doc", "left", "match", "right"))
        out.write(line(String(repeating: "─", count: docW), String(repeating: "─", count: leftW),
                       String(repeating: "─", count: matchW), String(repeating: "─", count: rightW)))
        for k in hits.indices { out.write(line(ids[k], lefts[k], matches[k], rights[k])) }
        var footer = "shown \(groupedThousands(Int64(hits.count))) of \(groupedThousands(Int64(total))) hit\(total == 1 ? "" : "s")"
        if sample != nil {
            footer += " (a sample, --seed \(seed))"
        } else if hits.count < total {
            footer += sort == .position ? " — --limit 0 for all" : " (the first by --sort \(sort.rawValue)) — --limit 0 for all"
        }
        out.write(footer + "\n")
        out.flush()
    }

    /// Control characters shown as U+FFFD (whitespace is already collapsed to spaces).
    static func visible(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) else { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) ? "\u{FFFD}" : $0 }))
    }

    static func padRight(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - DisplayWidth.of(s))) }

    static func cutRight(_ s: String, _ w: Int) -> String { DisplayWidth.of(s) <= w ? s : DisplayWidth.truncate(s, to: w) }

    /// `s` cut to at most `w` columns from the left, starting with `…` when cut.
    static func cutLeft(_ s: String, _ w: Int) -> String {
        if DisplayWidth.of(s) <= w { return s }
        var kept: [Character] = []
        var used = 0
        for ch in s.reversed() {
            let cw = DisplayWidth.of(String(ch))
            if used + cw > w - 1 { break }
            kept.append(ch)
            used += cw
        }
        return "…" + String(kept.reversed())
    }
}

extension KwicCommand: TableCommand {}
