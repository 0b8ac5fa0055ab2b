import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
import CorpusReaders
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
    @Option(help: "Input format: auto, article, jsonl, csv, tsv, reuters, text (default: auto, per file from extension and content).")
    var inputFormat: InputFormat = .auto

    @Option(help: "JSONL/CSV field holding the text (default: text, then body, content). Dotted paths reach nested fields.")
    var textField: String?

    @Option(help: "Field holding the title (default: title, then headline).")
    var titleField: String?

    @Option(help: "Field holding the date (default: date, then published, publishedAt).")
    var dateField: String?

    @Option(help: "Field holding the id (default: id, else file:line).")
    var idField: String?

    @Option(help: "Input encoding: utf8 (default), latin1, windows-1252. Reuters SGML is read as windows-1252 unless given.")
    var encoding: TextEncoding?

    @Option(help: "A file of extra page-furniture markers for article files, one per line.")
    var furniture: String?

    @Flag(inversion: .prefixedNo, help: "Date undated documents from a leading YYYY, YYYY-MM or YYYY-MM-DD in their file name.")
    var dateFromFilename = true

    @Flag(help: "Treat any warning (bad record, bad date, invalid UTF-8, unreadable path) as fatal: non-zero exit, no output file.")
    var strict = false

    func readerOptions() throws -> ReaderOptions {
        var o = ReaderOptions()
        o.inputFormat = inputFormat
        o.textField = textField
        o.titleField = titleField
        o.dateField = dateField
        o.idField = idField
        o.encoding = encoding
        o.dateFromFileName = dateFromFilename
        if let furniture {
            o.furnitureMarkers += try ReaderOptions.loadFurniture(path: furniture)
        }
        return o
    }
}

/// Parallelism and progress.
struct RunOptions: ParsableArguments {
    @Option(help: "Worker threads (default: all active cores). Output is identical for any value.")
    var jobs: Int?

    @Flag(inversion: .prefixedNo, help: "Progress on stderr (default: when stderr is a terminal and the run is longer than a second).")
    var progress: Bool?

    @Option(help: "Word segmenter: auto (the ICU-exact fast path where proven identical, else ICU) or icu.")
    var segmenter: SegmenterChoice = .auto

    var jobCount: Int { max(1, jobs ?? Engine.defaultJobs) }
    var showProgress: Bool { progress ?? isTerminal(2) }
}

/// Where and how a table is written.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, tsv, csv, jsonl, parquet (default: table on a terminal, else from -o's extension, else tsv).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: "Write to FILE (through a temporary file, renamed when complete).")
    var output: String?

    @Option(help: "Parquet page compression: none, gzip, zstd.")
    var compression: Compression = .none

    var resolvedFormat: OutputFormat {
        if let format { return format }
        if let output, output != "-" { return OutputFormat.inferred(fromPath: output) ?? .tsv }
        return isTerminal(1) ? .table : .tsv
    }

    /// `--top` default: 25 rows for a terminal table, else all.
    func resolvedTop(_ top: Int?) -> Int {
        if let top { return max(0, top) }
        return resolvedFormat == .table && (output == nil || output == "-") ? 25 : 0
    }
}

/// Stopword lists shipped with CorpusKit (`--stopwords LANG`) or a file of one word per line.
enum Stopwords {
    static let languages = ["en", "de", "fr", "es", "it", "pt", "nl", "ru"]

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
    let readerOptions: ReaderOptions
    let run: RunOptions
    var files: [String] = []
    var inputBytes: Int64 = 0
    var seconds: Double = 0

    init(read: ReadOptions, run: RunOptions) throws {
        diagnostics = Diagnostics(strict: read.strict)
        readerOptions = try read.readerOptions()
        self.run = run
    }

    mutating func execute(inputs: [String], plan: AnalysisPlan) throws -> CorpusStats {
        guard !inputs.isEmpty else {
            throw ValidationError("give INPUTS: files, folders, or - for standard input")
        }
        var plan = plan
        plan.tokenizer.segmenter = run.segmenter
        let reader = try CorpusReader(paths: inputs, options: readerOptions, diagnostics: diagnostics)
        files = reader.files
        var total = 0
        for f in reader.files where f != "-" {
            var st = stat()
            if stat(f, &st) == 0 { total += Int(st.st_size) }
        }
        let options = readerOptions
        let diagnostics = diagnostics
        let source = WorkSource<RecordChunk>(
            next: { try reader.nextChunk() },
            decode: { try CorpusReader.decode($0, options: options, diagnostics: diagnostics) },
            byteCount: { $0.bytes.count })
        let meter = ProgressMeter(totalBytes: total, enabled: run.showProgress)
        let stats = try Engine.run(plan: plan, jobs: run.jobCount, source: source, progress: meter)
        inputBytes = reader.bytesRead
        seconds = meter.elapsedSeconds
        return stats
    }

    /// The end-of-run summary on stderr (skipped records, bad dates, invalid UTF-8).
    func summarize() {
        if let line = diagnostics.summaryLine() { printError("corpuskit: \(line)") }
    }
}

/// Writes a table to the chosen sink: rows are produced by `body`, which calls `write` per row.
func emitTable(_ output: OutputOptions, columns: [Column], command: String, top: Int, metadata: [(String, String)] = [],
               _ body: (_ write: ([Cell]) throws -> Void) throws -> Void) throws {
    var options = SinkOptions(compression: output.compression, metadata: standardMetadata(command: command) + metadata)
    options.title = nil
    let writer = try makeTableWriter(format: output.resolvedFormat, columns: columns, path: output.output, options: options)
    do {
        try body { try writer.write($0) }
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
    func joined(_ ids: [TermID]) -> String { ids.map { vocabulary.string($0) }.joined(separator: " ") }
}

let measureColumns: [Column] = AssociationMeasures.columnNames.map { Column($0, .double) }
