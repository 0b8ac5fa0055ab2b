import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport

extension DedupMode: ExpressibleByArgument {}

/// `--dedup exact|near` of every command that reads inputs (`ReadOptions`): a first engine pass records
/// each document's signature (Analyzers/Signatures.swift), duplicates are resolved in input order
/// (`Dedup.resolve`), and the real pass skips them (`AnalysisPlan.skipOrdinals`). Hooked in `Pipeline`.
final class DedupPass {
    let mode: DedupMode
    let threshold: Double
    private let read: ReadOptions
    private let run: RunOptions
    private var dropped = 0
    private var exactDropped = 0

    /// The pass `read` asks for, nil without `--dedup`; a usage error for a threshold outside (0, 1] or
    /// one given without `--dedup near`.
    static func make(read: ReadOptions, run: RunOptions) throws -> DedupPass? {
        guard let mode = read.dedup else {
            if read.dedupThreshold != nil { throw ValidationError("--dedup-threshold applies to --dedup near (give --dedup near)") }
            return nil
        }
        if mode == .exact && read.dedupThreshold != nil {
            throw ValidationError("--dedup-threshold applies to --dedup near, not --dedup exact")
        }
        return DedupPass(mode: mode, threshold: try checkedThreshold(read.dedupThreshold), read: read, run: run)
    }

    private init(mode: DedupMode, threshold: Double, read: ReadOptions, run: RunOptions) {
        self.mode = mode
        self.threshold = threshold
        self.read = read
        self.run = run
    }

    /// `--dedup-threshold`, 0.9 when not given; a usage error outside (0, 1].
    static func checkedThreshold(_ value: Double?) throws -> Double {
        let t = value ?? 0.9
        guard t > 0 && t <= 1 else {
            throw ValidationError("--dedup-threshold must be more than 0 and at most 1 (got \(value.map { String($0) } ?? "?"))")
        }
        return t
    }

    /// Reads `inputs` once for signatures (its warnings are said by the real pass) and returns the ordinals
    /// of the duplicates to drop.
    func skippedOrdinals(inputs: [String], plan: AnalysisPlan) throws -> OrdinalSet {
        if inputs.contains("-") {
            throw CLIError.usage("--dedup reads the inputs twice, and standard input (-) can be read once: save it to a file first")
        }
        var quiet = read
        quiet.dedup = nil
        quiet.dedupThreshold = nil
        var first = try Pipeline(read: quiet, run: run, echo: false)
        var signaturePlan = AnalysisPlan(tokenizer: plan.tokenizer)
        signaturePlan.dedupSignatures = DedupSignatureRequest(mode: mode)
        let stats = try first.execute(inputs: inputs, plan: signaturePlan)
        let resolution = Dedup.resolve(stats.signatures, mode: mode, threshold: threshold)
        dropped = resolution.dropped.count
        exactDropped = resolution.exactDropped
        return resolution.dropped
    }

    /// For the end-of-run summary: `3 documents dropped as duplicates (--dedup near, threshold 0.9: 2 exact copies, 1 near)`.
    var summaryLine: String {
        let what = "\(dropped) document\(dropped == 1 ? "" : "s") dropped as duplicates"
        guard mode == .near else { return "\(what) (--dedup exact)" }
        return "\(what) (--dedup near, threshold \(threshold): \(exactDropped) exact cop\(exactDropped == 1 ? "y" : "ies"), \(dropped - exactDropped) near)"
    }
}

struct DupsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dups",
        abstract: "Duplicate clusters: cluster, doc, source, similarity — the documents --dedup would drop.",
        discussion: """
            One row per member of each cluster of duplicates, the kept document (the first in input order) \
            included: cluster (numbered in input order of its kept document), doc (the document's id), source \
            (file:line) and similarity to the kept document (1 for it and for exact copies, else the MinHash \
            estimate of the Jaccard similarity of the two documents' word 5-shingles). Rows are in cluster \
            order, then input order. Near duplicates (the default) include exact copies; --exact lists exact \
            copies only. Documents without duplicates are not listed.

            Example: corpuskit dups corpora/reuters21578/ --exact
            """)

    @Argument(help: "Files, folders (recursive) or - for standard input; .gz is read transparently.")
    var inputs: [String] = []

    @Flag(help: "Exact copies only: the same text after normalization and white-space collapsing.")
    var exact = false

    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        text.checkLocale()
        if read.dedup != nil { throw ValidationError("dups lists duplicates itself: leave out --dedup (--exact for exact copies only)") }
        if exact && read.dedupThreshold != nil { throw ValidationError("--dedup-threshold applies to near duplicates, not --exact") }
        let threshold = try DedupPass.checkedThreshold(read.dedupThreshold)
        let mode: DedupMode = exact ? .exact : .near
        var options = read
        options.dedupThreshold = nil
        var pipeline = try Pipeline(read: options, run: engine)
        var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
        plan.dedupSignatures = DedupSignatureRequest(mode: mode, names: true)
        let stats = try pipeline.execute(inputs: inputs, plan: plan)
        let resolution = Dedup.resolve(stats.signatures, mode: mode, threshold: threshold)
        let columns = [Column("cluster", .int64), Column("doc", .string), Column("source", .string), Column("similarity", .double)]
        try emitTable(output, columns: columns, command: "dups", rows: .noTopOption) { write in
            for (k, members) in resolution.clusters.enumerated() {
                for m in members {
                    let chunk = stats.signatures[m.chunk]
                    try write([.int(Int64(k + 1)), .string(chunk.ids[m.row]), .string(chunk.sources[m.row]), .double(m.similarity)])
                }
            }
        }
        let n = resolution.clusters.count, d = resolution.dropped.count
        printError("corpuskit: \(n) duplicate cluster\(n == 1 ? "" : "s"), \(d) document\(d == 1 ? "" : "s") --dedup \(mode.rawValue) would drop")
        pipeline.summarize()
    }
}

extension DupsCommand: TableCommand {}
