import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
import CorpusReaders
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension InputFormat: ExpressibleByArgument {}
extension OutputFormat: ExpressibleByArgument {}
extension Compression: ExpressibleByArgument {}
extension Granularity: ExpressibleByArgument {}
extension SegmenterChoice: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}

/// How inputs are read (issue 3).
struct ReadOptions: ParsableArguments {
    @Option(help: "Input format: auto, article, jsonl, csv, tsv, reuters, email, text (default: auto, per file from extension and content).")
    var inputFormat: InputFormat = .auto

    @Option(help: "JSONL/CSV field holding the text (default: text, then body, content). Dotted paths reach nested fields.")
    var textField: String?

    @Option(help: "Field holding the title (default: title, then headline).")
    var titleField: String?

    @Option(help: "Field holding the date (default: date, then published, publishedAt).")
    var dateField: String?

    @Option(help: "Field holding the id (default: id, else file:line).")
    var idField: String?

    @Option(help: "Input encoding: auto (default: UTF-8 where valid, else Windows-1252, said once per file), utf-8, latin1, windows-1252. Reuters SGML is read as windows-1252 unless given.")
    var encoding: TextEncoding?

    @Option(help: "A file of extra page-furniture markers for article files, one per line.")
    var furniture: String?

    @Flag(inversion: .prefixedNo, help: "Date undated documents from a leading YYYY, YYYY-MM or YYYY-MM-DD in their file name.")
    var dateFromFilename = true

    @Option(help: "Longest record (JSONL line, CSV/TSV record, Reuters document) read, in MiB; a longer one is skipped alone with a warning and reading goes on after it (default: 256).")
    var maxRecordMb: Int = 256

    @Flag(help: "Treat any warning (bad record, bad date, invalid UTF-8, unreadable path) as fatal: non-zero exit, no output file.")
    var strict = false

    @Option(name: .customLong("field"), help: ArgumentHelp("Keep a metadata field per document (repeatable): a JSONL field (dotted paths reach nested ones; an array gives several values), a CSV/TSV column, a Reuters element (topics, places, …: one value per <D>), an e-mail header (any case; Newsgroups, Followup-To, Keywords: one value per item). `docs` shows it; `--group-by` counts by it.", valueName: "name"))
    var fields: [String] = []

    @Option(help: "Drop duplicate documents before counting, keeping the first in input order: exact (the same text after normalization and white-space collapsing) or near (MinHash of word 5-shingles, estimated Jaccard similarity at least --dedup-threshold). Reads the inputs twice.")
    var dedup: DedupMode?

    @Option(help: "Similarity from which --dedup near drops a document, more than 0 and at most 1 (default: 0.9).")
    var dedupThreshold: Double?

    @Flag(help: "E-mail: keep quoted lines (>, |) and the attribution lines introducing them in the analyzed text.")
    var keepQuotes = false

    @Flag(help: "E-mail: keep signatures (after a \"-- \" line) in the analyzed text.")
    var keepSignatures = false

    func readerOptions() throws -> ReaderOptions {
        var o = ReaderOptions()
        o.inputFormat = inputFormat
        o.textField = textField
        o.titleField = titleField
        o.dateField = dateField
        o.idField = idField
        o.encoding = encoding
        o.dateFromFileName = dateFromFilename
        o.keepQuotes = keepQuotes
        o.keepSignatures = keepSignatures
        for f in fields where f.isEmpty { throw ValidationError("--field: give a field name (got an empty one)") }
        for f in fields where !o.fields.contains(f) { o.fields.append(f) }
        guard maxRecordMb >= 1 && maxRecordMb <= 1 << 20 else {
            throw ValidationError("--max-record-mb: give a number of MiB from 1 to 1048576 (got \(maxRecordMb))")
        }
        o.maxRecordSize = maxRecordMb << 20
        if let furniture {
            o.furnitureMarkers += try ReaderOptions.loadFurniture(path: furniture)
        }
        return o
    }
}

/// Parallelism and progress.
struct RunOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all active cores; at most 4 × active cores and never over 256 — a larger value is lowered, with a note). Output is identical for any value.")
    var jobs: Int?

    @Flag(inversion: .prefixedNo, help: "Progress on stderr (default: when stderr is a terminal and the run is longer than a second).")
    var progress: Bool?

    @Option(help: "Word segmenter: auto (the ICU-exact fast path where proven identical, else ICU) or icu.")
    var segmenter: SegmenterChoice = .auto

    /// The worker count: `--jobs` (at least 1), lowered to `Engine.maxJobs` with a note on stderr (said once).
    var jobCount: Int {
        let asked = max(1, jobs ?? Engine.defaultJobs)
        guard asked > Engine.maxJobs else { return asked }
        if !jobsCapNoted.exchange(true, ordering: .relaxed) {
            printError("corpuskit: --jobs \(asked) is more than the cap of \(Engine.maxJobs) (4 × \(Engine.defaultJobs) active core\(Engine.defaultJobs == 1 ? "" : "s"), at most 256): using \(Engine.maxJobs)")
        }
        return Engine.maxJobs
    }
    var showProgress: Bool { progress ?? isTerminal(2) }
}

/// `--csv-safe` as parsed (see `OutputOptions.validate`).
let csvSafeRequested = Atomic<Bool>(false)

/// Set once the `--jobs` cap note has been printed.
let jobsCapNoted = Atomic<Bool>(false)

/// Threads that encode a Parquet table's column chunks: the run's `--jobs` once a `Pipeline` is made
/// (0 before: all active cores). The bytes written do not depend on it.
let tableThreads = Atomic<Int>(0)

/// Where and how a table is written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, tsv, csv, jsonl, parquet (default: table on a terminal, else from -o's extension, else tsv).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: "Write to FILE (through a temporary file, renamed when complete).")
    var output: String?

    @Option(help: "Parquet page compression: none, gzip, zstd.")
    var compression: Compression = .none

    @Flag(help: "CSV for spreadsheets: a text cell starting with =, +, -, @, tab or CR gets a leading ' so it is not run as a formula (numbers stay numbers).")
    var csvSafe = false

    /// Records `--csv-safe` for `emitTable` (which must not read the flag itself: `analyze` builds its
    /// `OutputOptions` in code, and reading an unparsed flag is a fatal error in argument-parser).
    func validate() throws {
        csvSafeRequested.store(csvSafe, ordering: .relaxed)
    }

    var resolvedFormat: OutputFormat {
        if let format { return format }
        if let output, output != "-" { return OutputFormat.inferred(fromPath: output) ?? .tsv }
        return isTerminal(1) ? .table : .tsv
    }

    /// The rows a command computes: `--top` when given, else all (a terminal table shows the first
    /// `terminalRows` of them and says how many there are).
    func resolvedTop(_ top: Int?) -> Int { max(0, top ?? 0) }

    /// A table printed on the terminal (not to a file, not piped).
    var isTerminalTable: Bool { resolvedFormat == .table && (output == nil || output == "-") && isTerminal(1) }

    /// Rows a terminal table shows when no `--top` is given: the same for every command.
    static let terminalRows = 25
}

/// How a command's rows are limited, for the terminal table's closing line.
enum RowLimit {
    /// The command has a `--top` for rows; nil when the user gave none.
    case top(Int?)
    /// The command has no row `--top` (its rows are whole series or documents).
    case noTopOption
}

/// The terminal's width in columns: the window size of stdout, else $COLUMNS.
func terminalWidth() -> Int? {
    var ws = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &ws) == 0 && ws.ws_col > 0 { return Int(ws.ws_col) }
    if let c = getenv("COLUMNS"), let n = Int(String(cString: c)), n > 0 { return n }
    return nil
}

/// Stopword lists shipped with CorpusKit (`--stopwords LANG`) or a file of one word per line.
enum Stopwords {
    /// The languages with a shipped list, sorted (for help texts and messages).
    static var languages: [String] { StopwordLists.lists.keys.sorted() }
    /// `--stopwords` help: every shipped language.
    static var help: ArgumentHelp {
        ArgumentHelp("Leave out stopwords: a language (\(languages.joined(separator: ", "))) or a file with one word per line.", valueName: "lang|file")
    }

    /// Normalized stopwords (normalized like tokens, so they match).
    static func load(_ spec: String?, tokenizer: TokenizerOptions) throws -> Set<[UInt8]> {
        guard let spec, !spec.isEmpty else { return [] }
        let words: [String]
        if let list = StopwordLists.lists[spec.lowercased()] {
            words = list
        } else {
            let fd = open(spec, O_RDONLY)
            guard fd >= 0 else {
                throw ValidationError("--stopwords: '\(spec)' is neither a language (\(StopwordLists.lists.keys.sorted().joined(separator: ", "))) nor a readable file")
            }
            var st = stat()
            if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw ValidationError("--stopwords: '\(spec)' is a folder; give a language (\(StopwordLists.lists.keys.sorted().joined(separator: ", "))) or a file with one word per line")
            }
            let bytes = readAll(fd: fd)
            close(fd)
            words = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r" })
                .map { $0.trimmingSpaces() }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        let normalizer = try tokenizer.makeNormalizer()
        var set = Set<[UInt8]>()
        for w in words {
            let n = normalizer.normalize(w)
            if !n.isEmpty { set.insert(Array(n.utf8)) }
        }
        return set
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// The bundled sample corpus: `$CORPUSKIT_CORPUS`, else `Corpus/` beside the package the binary was built in, else `./Corpus`.
func bundledCorpusPath() -> String {
    if let env = getenv("CORPUSKIT_CORPUS") { return String(cString: env) }
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    if n > 0 {
        var dir = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        for _ in 0..<5 {
            guard let slash = dir.lastIndex(of: "/") else { break }
            dir = String(dir[..<slash])
            var st = stat()
            if stat(dir + "/Corpus", &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR && stat(dir + "/Package.swift", &st) == 0 {
                return dir + "/Corpus"
            }
        }
    }
    return "Corpus"
}

/// Reads the inputs and runs the engine once with `plan`.
struct Pipeline {
    let diagnostics: Diagnostics
    var readerOptions: ReaderOptions
    let run: RunOptions
    var files: [String] = []
    /// `--dedup` (DupsCommand.swift).
    let dedup: DedupPass?
    var inputBytes: Int64 = 0
    var seconds: Double = 0

    /// `echo: false` keeps this pass's reader warnings off stderr (a first pass whose second says them).
    init(read: ReadOptions, run: RunOptions, echo: Bool = true) throws {
        diagnostics = Diagnostics(strict: read.strict, echo: echo)
        readerOptions = try read.readerOptions()
        self.run = run
        tableThreads.store(run.jobCount, ordering: .relaxed)
        dedup = try DedupPass.make(read: read, run: run)
        if read.strict, let warning = localeWarning.withLock({ $0 }) {
            throw CorpusError("\(warning) (--strict)", strict: true)
        }
    }

    /// Reads `inputs` and runs `plan`. Throws `CLIError` 66 (nothing written) when no input could be read;
    /// marks the process for exit status 1 when some input could not be read.
    mutating func execute(inputs: [String], plan: AnalysisPlan) throws -> CorpusStats {
        guard !inputs.isEmpty else {
            throw ValidationError("give INPUTS: files, folders, or - for standard input")
        }
        var plan = plan
        plan.tokenizer.segmenter = run.segmenter
        if let dedup { plan.skipOrdinals = try dedup.skippedOrdinals(inputs: inputs, plan: plan) }
        let reader = try CorpusReader(paths: inputs, options: readerOptions, diagnostics: diagnostics)
        files = reader.files
        if let (output, dev, ino) = plannedOutput.withLock({ $0 }) {
            for f in reader.files where f != "-" {
                var st = stat()
                if stat(f, &st) == 0 && UInt64(st.st_dev) == dev && UInt64(st.st_ino) == ino {
                    throw CLIError.usage("-o \(escapedPath(output)) is one of the inputs (\(escapedPath(f))): it would be replaced; write elsewhere")
                }
            }
        }
        if reader.files.isEmpty {
            throw CLIError.noInput("no input could be read (nothing written)")
        }
        var total = 0
        for f in reader.files where f != "-" {
            var st = stat()
            if stat(f, &st) == 0 { total += Int(st.st_size) }
        }
        let options = readerOptions
        let diagnostics = diagnostics
        // With a worker on every core, a reader thread of its own would only take turns with them: the
        // workers read for themselves (the same speed at 100 MB of JSONL, plain or gzip, and 40% less memory:
        // no queue of 4 MiB chunks). With a core to spare (--jobs 1 on two cores), the reader thread reads
        // while the worker counts.
        let jobs = run.jobCount
        let source = WorkSource<RecordChunk>(
            next: { try reader.nextChunk() },
            decode: { try CorpusReader.decode($0, options: options, diagnostics: diagnostics) },
            byteCount: { $0.bytes.count },
            pulledByWorkers: jobs >= Engine.defaultJobs)
        let meter = ProgressMeter(totalBytes: total, enabled: run.showProgress)
        let stats = try Engine.run(plan: plan, jobs: jobs, source: source, progress: meter)
        inputBytes = reader.bytesRead
        seconds = meter.elapsedSeconds
        if reader.filesFailed >= reader.files.count {
            if let line = diagnostics.summaryLine() { printError("corpuskit: \(line)") }
            throw CLIError.noInput("no input could be read (nothing written)")
        }
        if diagnostics.unreadableInputs > 0 { someInputUnreadable.store(true, ordering: .relaxed) }
        return stats
    }

    /// The end-of-run summary on stderr (skipped records, bad dates, invalid UTF-8).
    func summarize() {
        if let line = diagnostics.summaryLine() { printError("corpuskit: \(line)") }
        if let dedup { printError("corpuskit: \(dedup.summaryLine)") }
    }
}

/// Writes a table to the chosen sink: rows are produced by `body`, which calls `write` per row.
/// A terminal table without `--top` shows `OutputOptions.terminalRows` rows and closes with
/// "showing 25 of 43,256 rows — --top 0 for all"; it is fitted to the terminal's width.
func emitTable(_ output: OutputOptions, columns: [Column], command: String, rows limit: RowLimit, metadata: [(String, String)] = [],
               progress: Bool = false,
               _ body: (_ write: ([Cell]) throws -> Void) throws -> Void) throws {
    try withTableWriter(output, columns: columns, command: command, rows: limit, metadata: metadata, progress: progress) { writer, meter in
        try body { try writer.write($0); meter.add() }
    }
}

/// `emitTable` for a table of `count` rows, row `i` built by `fill(i, &cells)` (appending one cell per
/// column to an emptied buffer). TSV, CSV and JSONL rows are built and encoded in blocks on `jobs`
/// threads and written in row order, so the bytes are the same at any `--jobs`; Parquet and the
/// terminal table are written row by row. `fill` runs on several threads at once: it may only read
/// state that nothing changes meanwhile (a finished `CorpusStats`), and should not read shared arrays
/// through getters that retain them per row (`byteRanks`: lend it as a buffer, `pairTerms(of:ranks:)`).
func emitTableRows(_ output: OutputOptions, columns: [Column], command: String, rows limit: RowLimit,
                   metadata: [(String, String)] = [], progress: Bool = false, jobs: Int, count: Int,
                   fill: (Int, inout [Cell]) -> Void) throws {
    try withTableWriter(output, columns: columns, command: command, rows: limit, metadata: metadata, progress: progress) { writer, meter in
        let lanes = min(max(1, jobs), Engine.maxJobs)
        guard let encoded = writer as? EncodedRowWriter, lanes > 1, count > ParallelRows.blockRows else {
            var cells: [Cell] = []  // one row buffer, reused
            cells.reserveCapacity(columns.count)
            for i in 0..<count {
                cells.removeAll(keepingCapacity: true)
                fill(i, &cells)
                try writer.write(cells)
                meter.add()
            }
            return
        }
        try ParallelRows.write(count: count, lanes: lanes, columns: columns.count, to: encoded, meter: meter, fill: fill)
    }
}

/// Blocks of rows built and encoded on several threads, written in order.
enum ParallelRows {
    /// Rows per block: big enough that a block's bytes (~1–3 MB for pair tables) dwarf the hand-over,
    /// small enough that the blocks of one round stay in cache until written.
    static let blockRows = 8192

    static func write(count: Int, lanes: Int, columns: Int, to writer: EncodedRowWriter, meter: RowProgress,
                      fill: (Int, inout [Cell]) -> Void) throws {
        let encoder = writer.rowEncoder
        let errors = UnsafeMutableBufferPointer<(any Error)?>.allocate(capacity: lanes)
        errors.initialize(repeating: nil)
        defer { errors.deinitialize(); errors.deallocate() }
        // Each block's buffer and error slot is touched by the one thread that encodes that block, and
        // read here only after `concurrentPerform` returns; `fill` only reads (see `emitTableRows`).
        let lane = Lanes(buffers: (0..<lanes).map { _ in RowBytes(capacity: 1 << 20) }, errors: errors)
        try withoutActuallyEscaping(fill) { fill in
            let shared = Lanes.Fill(fill: fill)
            var start = 0
            while start < count {
                let n = min(count - start, lanes * blockRows)
                let blocks = (n + blockRows - 1) / blockRows
                let base = start
                DispatchQueue.concurrentPerform(iterations: blocks) { j in
                    let buf = lane.buffers[j]
                    buf.removeAll()
                    let lo = base + j * blockRows, hi = min(base + n, lo + blockRows)
                    var cells: [Cell] = []
                    cells.reserveCapacity(columns)
                    do {
                        for i in lo..<hi {
                            cells.removeAll(keepingCapacity: true)
                            shared.fill(i, &cells)
                            try encoder.encode(cells, rowIndex: i, into: buf)
                        }
                    } catch {
                        lane.errors[j] = error
                    }
                }
                for j in 0..<blocks {
                    // A failed block still writes the rows before its error, like the row-by-row path.
                    try writer.write(encoded: lane.buffers[j])
                    meter.add(lane.buffers[j].rows)
                    if let e = lane.errors[j] { throw e }
                }
                start += n
            }
        }
    }

    /// What the threads of one table share (see the comment in `write`).
    private struct Lanes: @unchecked Sendable {
        let buffers: [RowBytes]
        let errors: UnsafeMutableBufferPointer<(any Error)?>
        struct Fill: @unchecked Sendable { let fill: (Int, inout [Cell]) -> Void }
    }
}

/// Opens the table writer for `output` (terminal-table limits, standard metadata, row progress), runs
/// `body`, then finishes it, or abandons it (no half-written file) when `body` throws.
private func withTableWriter(_ output: OutputOptions, columns: [Column], command: String, rows limit: RowLimit,
                             metadata: [(String, String)], progress: Bool,
                             _ body: (TableWriter, RowProgress) throws -> Void) throws {
    var options = SinkOptions(compression: output.compression, metadata: standardMetadata(command: command) + metadata)
    options.title = nil
    options.csvSafe = csvSafeRequested.load(ordering: .relaxed)
    let threads = tableThreads.load(ordering: .relaxed)
    options.threads = threads > 0 ? threads : Engine.defaultJobs
    if output.isTerminalTable {
        options.tableWidth = terminalWidth()
        switch limit {
        case .top(nil):
            options.tableMaxRows = OutputOptions.terminalRows
            options.tableAllRowsHint = "--top 0 for all"
        case .top: break
        case .noTopOption:
            options.tableMaxRows = OutputOptions.terminalRows
            options.tableAllRowsHint = "--format tsv or -o FILE for all"
        }
    }
    let writer = try makeTableWriter(format: output.resolvedFormat, columns: columns, path: output.output, options: options)
    do {
        let meter = RowProgress(name: output.output.map { String($0.split(separator: "/").last ?? "") } ?? command, enabled: progress)
        defer { meter.stop() }
        try body(writer, meter)
        try writer.finish()
    } catch {
        writer.abandon()
        throw error
    }
}

/// Footer metadata for every table: versions and the command line.
func standardMetadata(command: String) -> [(String, String)] {
    [
        ("corpuskit.version", corpusKitVersion),
        ("corpuskit.icu_version", ICUInfo.icuVersion),
        ("corpuskit.unicode_version", ICUInfo.unicodeVersion),
        ("corpuskit.command", command),
        ("corpuskit.arguments", CommandLine.arguments.dropFirst().joined(separator: " ")),
    ]
}

extension CorpusStats {
    func cell(_ id: TermID) -> Cell { .string(vocabulary.string(id)) }

    /// A `cooc` row's cells: term1, term2, count, docs and the measures (`ranks`: `byteRanks`, lent).
    func appendCoocCells(_ r: PairRow, ranks: UnsafeBufferPointer<UInt32>, to cells: inout [Cell]) {
        let (a, b) = pairTerms(of: r, ranks: ranks)
        cells.append(cell(a))
        cells.append(cell(b))
        cells.append(.int(Int64(r.count)))
        cells.append(.int(Int64(r.docs)))
        measures(of: r, ranks: ranks)?.append(to: &cells)
    }

    /// An `ngrams` row's cells: ngram, count, docs and, for n = 2, the measures.
    func appendNgramCells(_ r: PairRow, ranks: UnsafeBufferPointer<UInt32>, to cells: inout [Cell]) {
        cells.append(.string(joined(terms(of: r))))
        cells.append(.int(Int64(r.count)))
        cells.append(.int(Int64(r.docs)))
        measures(of: r, ranks: ranks)?.append(to: &cells)
    }
    /// The terms' bytes joined by spaces into one `String`, built in place (no `String` per term).
    func joined(_ ids: [TermID]) -> String {
        var n = max(0, ids.count - 1)
        for id in ids { n += vocabulary.bytes(id).count }
        return String(unsafeUninitializedCapacity: n) { out in
            var at = 0
            for (k, id) in ids.enumerated() {
                if k > 0 { out[at] = 32; at += 1 }
                let b = vocabulary.bytes(id)
                for byte in b { out[at] = byte; at += 1 }
            }
            return at
        }
    }
}

extension AssociationMeasures {
    /// Appends the measures as cells, in `columnNames` order (no array of values in between).
    func append(to cells: inout [Cell]) {
        cells.append(.double(pmi))
        cells.append(.double(npmi))
        cells.append(.double(tScore))
        cells.append(.double(g2))
        cells.append(.double(chi2))
        cells.append(.double(dice))
        cells.append(.double(logDice))
    }
}

let measureColumns: [Column] = AssociationMeasures.columnNames.map { Column($0, .double) }

// MARK: - Output checks before reading (exit 64 / 73)

/// An existing `-o` file (path, device, inode), so that reading it as an input is refused before reading.
let plannedOutput = Locked<(String, UInt64, UInt64)?>(nil)

/// The text-table output formats known from a file name, for messages.
let knownOutputExtensions = ".tsv, .tab, .csv, .jsonl, .ndjson, .parquet, .pq, .txt (a table)"

/// Checks `-o FILE` before any reading: the format must be known from the extension (or `--format` given),
/// FILE must not be one of the inputs (64); its folder must exist and be writable and FILE must not be a
/// folder (73). Folders are not created for single files: a mistyped path should not make new folders.
func checkOutputPlan(format: OutputFormat?, output: String?, inputs: [String]) throws {
    guard let output, output != "-" else {
        if format == .parquet && isTerminal(1) {
            throw CLIError.usage("refusing to write binary Parquet to a terminal: use -o FILE.parquet or redirect stdout")
        }
        return
    }
    if output.isEmpty { throw CLIError.usage("-o: empty file name") }
    let name = output.split(separator: "/").last.map(String.init) ?? output
    if format == nil && OutputFormat.inferred(fromPath: output) == nil && name.dropFirst().contains(".") {
        throw CLIError.usage("cannot tell the output format from '\(escapedPath(output))' (known extensions: \(knownOutputExtensions)): rename it or add --format tsv|csv|jsonl|parquet|table")
    }
    var st = stat()
    if stat(output, &st) == 0 {
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw CLIError.cannotCreate("cannot create \(escapedPath(output)): it is a folder (give a file name)")
        }
        for input in inputs where input != "-" {
            var ist = stat()
            if stat(input, &ist) == 0 && ist.st_dev == st.st_dev && ist.st_ino == st.st_ino {
                throw CLIError.usage("-o \(escapedPath(output)) is one of the inputs (\(escapedPath(input))): it would be replaced; write elsewhere")
            }
        }
        // A file found in an input folder is checked once the folders are listed (`Pipeline.execute`).
        if (st.st_mode & S_IFMT) == S_IFREG { plannedOutput.withLock { $0 = (output, UInt64(st.st_dev), UInt64(st.st_ino)) } }
        if (st.st_mode & S_IFMT) != S_IFREG { return }  // /dev/null, a FIFO: written directly
    }
    let folder = parentFolder(of: output)
    var dst = stat()
    guard stat(folder, &dst) == 0 else {
        throw CLIError.cannotCreate("cannot create \(escapedPath(output)): the folder \(escapedPath(folder)) does not exist (create it first)")
    }
    guard (dst.st_mode & S_IFMT) == S_IFDIR else {
        throw CLIError.cannotCreate("cannot create \(escapedPath(output)): \(escapedPath(folder)) is not a folder")
    }
    guard access(folder, W_OK) == 0 else {
        let e = errno
        throw CLIError.cannotCreate("cannot create \(escapedPath(output)): the folder \(escapedPath(folder)) is not writable (\(String(cString: strerror(e))))")
    }
}

/// The folder a path is in (`.` for a bare name).
func parentFolder(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "." }
    return slash == p.startIndex ? "/" : String(p[..<slash])
}

/// Creates `path` and any missing parent folders (`mkdir -p`); exit 73 naming the folder that failed.
/// Checked before reading (`checkOutputFolder`) and done after it (`analyze -o A/B/C`).
func createOutputFolder(_ path: String) throws {
    var st = stat()
    if stat(path, &st) == 0 {
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw CLIError.cannotCreate("cannot create the folder \(escapedPath(path)): a file of that name exists") }
        return
    }
    let parent = parentFolder(of: path)
    if parent != path { try createOutputFolder(parent) }
    if mkdir(path, 0o777) != 0 && errno != EEXIST {
        let e = errno
        throw CLIError.cannotCreate("cannot create the folder \(escapedPath(path)): \(String(cString: strerror(e)))")
    }
}

/// Before reading: the output folder (`analyze -o DIR`) exists as a writable folder, or its nearest existing
/// ancestor is a writable folder (the missing part is created after reading); else exit 73.
func checkOutputFolder(_ path: String) throws {
    var p = path
    while true {
        var st = stat()
        if stat(p, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw CLIError.cannotCreate("cannot create the folder \(escapedPath(path)): \(escapedPath(p)) is a file")
            }
            guard access(p, W_OK) == 0 else {
                let e = errno
                throw CLIError.cannotCreate("cannot create in \(escapedPath(p)): not writable (\(String(cString: strerror(e))))")
            }
            return
        }
        let parent = parentFolder(of: p)
        if parent == p { return }
        p = parent
    }
}

/// A command that writes one table from INPUTS: its output plan (format, folder, not an input) is checked
/// before any reading.
protocol TableCommand: Preflight {
    var output: OutputOptions { get }
    var inputs: [String] { get }
}

extension TableCommand {
    func preflight() throws { try checkOutputPlan(format: output.format, output: output.output, inputs: inputs) }
}

extension TermsCommand: TableCommand {}
extension NgramsCommand: TableCommand {}
extension CoocCommand: TableCommand {}
extension CollocatesCommand: TableCommand {}
extension DocsCommand: TableCommand {}
extension PeriodsCommand: TableCommand {}
extension TrendsCommand: TableCommand {}
extension DispersionCommand: TableCommand {}
extension DtmCommand: Preflight {
    func preflight() throws {
        // The matrix file (a .mtx is checked as a text file) and a sidecar beside it.
        try checkOutputPlan(format: output.hasSuffix(".mtx") ? .tsv : nil, output: output, inputs: inputs)
        try checkOutputPlan(format: .tsv, output: sidecar("docs", ext: "tsv"), inputs: inputs)
    }
}
extension RisingCommand: TableCommand {}
extension BurstsCommand: TableCommand {}
extension KeynessCommand: Preflight {
    func preflight() throws {
        try checkOutputPlan(format: output.format, output: output.output, inputs: inputs + target + reference)
    }
}
extension AnalyzeCommand: Preflight {
    func preflight() throws { try checkOutputFolder(output) }
}
extension ConvertCommand: Preflight {
    func preflight() throws {
        if input != "-" && access(input, R_OK) != 0 {
            let e = errno
            throw CLIError.noInput(e == ENOENT ? "no such file or directory: \(input)" : "cannot read \(input): \(String(cString: strerror(e)))")
        }
        // Converting a table in place is allowed (it is read whole before the temporary file is renamed over it).
        try checkOutputPlan(format: format.flatMap { OutputFormat(rawValue: $0) }, output: output, inputs: [])
    }
}
