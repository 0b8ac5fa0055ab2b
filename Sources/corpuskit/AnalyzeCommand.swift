import ArgumentParser
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
import CorpusReaders
import CZlib
#if canImport(Glibc)
import Glibc
#endif

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "The main job: one pass over a corpus writing documents, terms, bigrams, co-occurrence, trends and periods tables plus a manifest to a folder.",
        discussion: """
            Reads and segments the corpus once and writes DIR/documents.parquet, terms.parquet, ngrams.parquet \
            (bigrams with measures), cooc.parquet (window W, default 5), trends.parquet (every nonzero period × term, \
            --by month by default), periods.parquet (documents and tokens per period, empty periods included) and \
            manifest.json (versions, options, inputs with sizes and CRC-32 checksums, counts, timings, throughput). \
            Every option applies to every table it concerns, so each table equals the separate command's output \
            with the same options (terms, ngrams -n 2, cooc --window W, trends --by P, periods --by P, docs). \
            Without INPUTS it analyzes the bundled Corpus/. \
            DIR is written whole into a temporary folder beside it (.DIR.partial-PID) and swapped in when complete, \
            so an interrupted run leaves an earlier DIR as it was, and a folder with a manifest is complete. \
            Missing parent folders are created. An existing DIR is replaced only when it is empty or an earlier \
            analyze folder (it holds corpuskit's manifest.json); any other non-empty DIR is refused. If INPUTS \
            include DIR, it is not read.

            Example: corpuskit analyze corpora/reuters21578/ -o out/reuters --by month --stopwords en
            """)

    @Argument(help: "Files, folders or - for standard input (default: the bundled Corpus/).")
    var inputs: [String] = []
    @Option(name: .shortAndLong, help: "Output folder, replaced as a whole (missing parents are created).")
    var output: String = "analysis"
    @Option(help: "Table format.")
    var format: AnalyzeFormat = .parquet
    @Option(help: "Parquet page compression: none, gzip, zstd (default zstd).")
    var compression: Compression = .zstd
    @Option(help: "Period of the trends and periods tables: day, week, month (default), quarter, year.")
    var by: Granularity = .month
    @Option(help: "Co-occurrence window.")
    var window: Int = 5
    @Option(help: "Keep terms, bigrams, pairs and (period, term) trend rows with at least this count (as each command's --min-count).")
    var minCount: UInt64 = 1
    @Option(help: "Stopwords left out of the terms, bigrams, pairs and trends tables: a language (\(StopwordLists.languages.joined(separator: ", "))) or a file.")
    var stopwords: String?
    @Flag(help: "Write a partial folder instead of finished tables: each table's additive counts as Parquet keyed by strings, to be summed by `corpuskit merge` (with other partials, on this machine or after a Spark job). --min-count applies at the merge.")
    var partial = false
    @OptionGroup var text: TextOptions
    @OptionGroup var filters: TermFilterOptions
    @OptionGroup var read: ReadOptions
    @OptionGroup var engine: RunOptions

    /// `inputs`: what the run reads (the first pass of --max-docs-ratio reads them too).
    func settings(inputs analyzedInputs: [String]) throws -> AnalysisSettings {
        var s = AnalysisSettings()
        s.by = by
        s.window = window
        s.minCount = minCount
        s.stopwordsName = stopwords
        s.tokenizer = text.tokenizerOptions
        s.filter = try filters.make(stopwords: stopwords, tokenizer: s.tokenizer, firstPass: .init(inputs: analyzedInputs, read: read, run: engine))
        s.format = format
        s.compression = compression
        s.showProgress = engine.showProgress
        s.jobs = engine.jobCount
        s.segmenter = engine.segmenter.rawValue
        s.inputFormat = read.inputFormat.rawValue
        return s
    }

    func validate() throws {
        guard window >= 1 else { throw ValidationError("--window must be at least 1") }
        if partial && format != .parquet {
            throw ValidationError("--partial writes Parquet only (a partial is read back by `corpuskit merge` and by Spark); drop --format \(format.rawValue)")
        }
        if partial && minCount != 1 {
            throw ValidationError("--min-count applies to finished tables: give it to `corpuskit merge` (a partial keeps every count so that sums stay exact)")
        }
        if partial && filters.maxDocsRatio != nil {
            throw ValidationError("--max-docs-ratio needs the document frequencies of the whole corpus before pairs are counted, and a partial sees one part of it: leave it out of --partial")
        }
        try AnalysisFolder(output).checkReplaceable()
    }

    func run() throws {
        text.checkLocale()
        let folder = try AnalysisFolder(output)
        try folder.checkReplaceable()
        folder.removeStalePartials()
        let inputs = folder.excludingItself(self.inputs.isEmpty ? [bundledCorpusPath()] : self.inputs)
        var pipeline = try Pipeline(read: read, run: engine)
        let settings = try self.settings(inputs: inputs)
        let stats = try pipeline.execute(inputs: inputs, plan: settings.plan)
        let passSeconds = pipeline.seconds

        let temp = try folder.makePartial()
        var swapped = false
        defer { if !swapped { removeTree(temp) } }

        let started = monotonicSeconds()
        let fingerprint = inputFingerprint(pipeline.files)
        let meta = [("corpuskit.inputs_fingerprint", fingerprint)]
        let totals = stats.totals(inputBytes: UInt64(max(0, pipeline.inputBytes)), skipped: UInt64(pipeline.diagnostics.count(.skipped)),
                                  badDates: UInt64(pipeline.diagnostics.count(.badDate)), invalidUTF8: UInt64(pipeline.diagnostics.invalidUTF8Sequences))
        let inputsJSON = manifestInputs(pipeline.files)
        let manifest: JSONValue
        var termRows: [TermRow] = []
        if partial {
            let rows = try PartialFolder.write(stats, settings, totals: totals, into: temp, metadata: meta)
            manifest = PartialFolder.manifest(settings, rows: rows, inputs: inputsJSON)
        } else {
            let rows = try FinishedTables.write(stats, settings, into: temp, metadata: meta)
            termRows = stats.termRows(minCount: minCount, excluding: settings.filter, top: 10)
            let writeSeconds = monotonicSeconds() - started
            let mb = Double(pipeline.inputBytes) / 1e6
            manifest = FinishedTables.manifest(stats, settings, totals: totals, rows: rows, inputs: inputsJSON, fingerprint: fingerprint,
                                               timings: ["pass": .double(passSeconds), "write": .double(writeSeconds)],
                                               throughput: passSeconds > 0 ? mb / passSeconds : 0)
        }
        let writeSeconds = monotonicSeconds() - started
        let mb = Double(pipeline.inputBytes) / 1e6
        let rate = passSeconds > 0 ? mb / passSeconds : 0
        // The manifest, last, inside the folder that is swapped in: a folder with a manifest is complete.
        try Manifest.write(manifest, to: "\(temp)/\(Manifest.fileName)")
        try folder.swapIn(temp)
        swapped = true

        // The summary.
        let out = StdoutWriter()
        writeCorpusLine(out, stats)
        if !partial {
            let top = termRows.prefix(10).map { "\(stats.vocabulary.string($0.term)) (\($0.count))" }.joined(separator: ", ")
            out.write("top terms\(stopwords != nil ? " (without stopwords)" : settings.filter.isEmpty ? "" : " (filtered)"): \(top)\n")
        }
        out.write("read and analyzed \(String(format1(mb))) MB in \(format1(passSeconds)) s (\(format1(rate)) MB/s, \(engine.jobCount) job\(engine.jobCount == 1 ? "" : "s")); tables written in \(format1(writeSeconds)) s\n")
        if partial {
            out.write("wrote the partial \(folder.path)/: \(PartialFolder.tables.joined(separator: ", ")) .parquet and manifest.json (finish it, or merge it with others: corpuskit merge \(folder.path) ... -o DIR)\n")
        } else {
            out.write("wrote \(folder.path)/: documents, terms, ngrams, cooc, trends, periods .\(settings.format.outputFormat.fileExtension) and manifest.json\n")
        }
        out.flush()
        pipeline.summarize()
    }
}

/// `analyze`'s output folder DIR. The tables and the manifest are written into a fresh folder beside it,
/// `.NAME.partial-PID`, which replaces DIR when complete:
/// - DIR absent or empty: `rename(partial, DIR)`;
/// - DIR an earlier analyze folder: `renameat2(partial, DIR, RENAME_EXCHANGE)` swaps the two atomically
///   (there is no moment without a DIR), then the old folder, now at the partial name, is removed. Where the
///   file system cannot exchange (EINVAL, ENOSYS), DIR is renamed to `.NAME.old-PID`, the partial folder
///   to DIR, and the old one removed.
/// An interrupted run (Ctrl-C, kill) leaves DIR as it was; its partial folder is removed by the next run
/// (any `.NAME.partial-PID` whose process no longer exists) or on error.
struct AnalysisFolder {
    /// DIR as given, without trailing slashes (a symbolic link here is refused, not followed).
    let path: String
    /// The folder DIR is in and DIR's name, from DIR's real path when it exists (so `-o .` works).
    let parent: String
    let name: String
    /// The path the swap renames: `parent/name`.
    var target: String { parent == "/" ? "/\(name)" : "\(parent)/\(name)" }

    init(_ given: String) throws {
        var p = Substring(given)
        while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
        guard !p.isEmpty, p != "-" else { throw ValidationError("-o: give a folder name") }
        if OutputFormat.inferred(fromPath: String(p)) != nil {
            throw ValidationError("-o \(given): analyze writes a folder of tables, not one file; give a folder name (e.g. -o \(Self.stem(String(p))))")
        }
        path = String(p)
        // An existing folder is named through its real path, so `.` or `..` can be swapped too.
        var resolved = path
        if let r = realpath(path, nil) {
            resolved = String(cString: r)
            free(r)
        }
        if let slash = resolved.lastIndex(of: "/") {
            parent = slash == resolved.startIndex ? "/" : String(resolved[..<slash])
            name = String(resolved[resolved.index(after: slash)...])
        } else {
            parent = "."
            name = resolved
        }
        guard !name.isEmpty, name != ".", name != ".." else { throw ValidationError("-o \(given): cannot replace this folder; give another name") }
    }

    static func stem(_ p: String) -> String {
        guard let dot = p.lastIndex(of: "."), dot != p.startIndex else { return p }
        return String(p[..<dot])
    }

    enum State { case absent, empty, analysis, foreign(String) }

    var state: State {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .absent }
        if (st.st_mode & S_IFMT) == S_IFLNK { return .foreign("it is a symbolic link (name the folder itself)") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return .foreign("it is not a folder") }
        let entries = listFolder(path)
        if entries.isEmpty { return .empty }
        if entries.contains(Manifest.fileName), Manifest.isAnalyzeManifest(atPath: "\(path)/\(Manifest.fileName)") { return .analysis }
        return .foreign("it is not empty and holds no manifest.json of corpuskit analyze")
    }

    /// Refuses (usage error, exit 64) a DIR that is not a folder, or is a non-empty folder other than an
    /// earlier analyze folder: replacing it would delete files analyze did not write.
    func checkReplaceable() throws {
        if case .foreign(let why) = state {
            throw ValidationError("-o \(path): \(why); refusing to replace it (remove it or choose another folder)")
        }
    }

    private var partialPrefix: String { ".\(name).partial-" }

    /// Creates the missing parent folders and a fresh partial folder; returns its path.
    func makePartial() throws -> String {
        try makeFolders(parent)
        let temp = "\(parent)/\(partialPrefix)\(getpid())"
        removeTree(temp)
        guard mkdir(temp, 0o777) == 0 else {
            throw ExportError.io(path: temp, operation: "mkdir", errno: errno)
        }
        return temp
    }

    /// Removes partial folders left by interrupted runs (their process no longer exists).
    func removeStalePartials() {
        for entry in listFolder(parent) where entry.hasPrefix(partialPrefix) {
            guard let pid = Int32(entry.dropFirst(partialPrefix.count)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { removeTree("\(parent)/\(entry)") }
        }
    }

    /// Puts the complete partial folder in DIR's place (see the type's comment).
    func swapIn(_ temp: String) throws {
        switch state {
        case .foreign(let why):
            throw ValidationError("-o \(path): \(why); refusing to replace it (remove it or choose another folder)")
        case .absent, .empty:
            guard rename(temp, target) == 0 else { throw ExportError.io(path: path, operation: "rename", errno: errno) }
        case .analysis:
            if renameExchange(temp, target) {
                removeTree(temp)  // the old folder, now at the partial name
                return
            }
            let trash = "\(parent)/.\(name).old-\(getpid())"
            removeTree(trash)
            guard rename(target, trash) == 0 else { throw ExportError.io(path: path, operation: "rename", errno: errno) }
            guard rename(temp, target) == 0 else {
                let e = errno
                _ = rename(trash, target)
                throw ExportError.io(path: path, operation: "rename", errno: e)
            }
            removeTree(trash)
        }
    }

    /// INPUTS without DIR: an input that is DIR (or inside it) is left out, and a folder input holding DIR
    /// is read without it, each with a warning: the tables are never read back as corpus.
    func excludingItself(_ inputs: [String]) -> [String] {
        guard let out = realPath(path) else { return inputs }
        var kept: [String] = []
        for input in inputs {
            guard input != "-", let r = realPath(input) else { kept.append(input); continue }
            if r == out || r.hasPrefix(out + "/") {
                printError("corpuskit: warning: not reading \(input): it is the output folder \(path)")
                continue
            }
            if out.hasPrefix(r == "/" ? "/" : r + "/"), isFolder(input) {
                let inner = String(out.dropFirst(r == "/" ? 1 : r.count + 1))
                let base = input.hasSuffix("/") && input.count > 1 ? String(input.dropLast()) : input
                let listing = (try? CorpusReader(paths: [input], diagnostics: Diagnostics(strict: false, echo: false)).files) ?? []
                let files = listing.filter { !$0.hasPrefix("\(base)/\(inner)/") }
                if files.count < listing.count {
                    printError("corpuskit: warning: not reading the output folder \(path) inside \(input)")
                }
                kept.append(contentsOf: files)
                continue
            }
            kept.append(input)
        }
        return kept
    }
}

/// `renameat2(from, to, RENAME_EXCHANGE)` through the C library (Swift does not import it); false when the
/// call is missing or fails.
func renameExchange(_ from: String, _ to: String) -> Bool {
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
    let call = unsafeBitCast(symbol, to: RenameAt2.self)
    let renameExchangeFlag: UInt32 = 1 << 1  // RENAME_EXCHANGE, <linux/fs.h>
    return call(AT_FDCWD, from, AT_FDCWD, to, renameExchangeFlag) == 0
}

func realPath(_ p: String) -> String? {
    guard let r = realpath(p, nil) else { return nil }
    defer { free(r) }
    return String(cString: r)
}

func isFolder(_ p: String) -> Bool {
    var st = stat()
    return stat(p, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// The names in a folder (without `.` and `..`); empty when it cannot be read.
func listFolder(_ p: String) -> [String] {
    guard let dir = opendir(p) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let e = readdir(dir) {
        let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// `mkdir -p`.
func makeFolders(_ p: String) throws {
    if isFolder(p) { return }
    if let slash = p.lastIndex(of: "/"), slash != p.startIndex { try makeFolders(String(p[..<slash])) }
    if mkdir(p, 0o777) != 0 && errno != EEXIST {
        throw ExportError.io(path: p, operation: "mkdir", errno: errno)
    }
}

/// `rm -rf` without following symbolic links; errors are ignored (what remains stays).
func removeTree(_ p: String) {
    var st = stat()
    guard lstat(p, &st) == 0 else { return }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        for entry in listFolder(p) { removeTree("\(p)/\(entry)") }
        rmdir(p)
    } else {
        unlink(p)
    }
}

func format1(_ x: Double) -> String {
    let v = (x * 10).rounded() / 10
    return String(v)
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The manifest's `inputs`: each file read with its path, size in bytes and CRC-32.
func manifestInputs(_ files: [String]) -> [JSONValue] {
    files.map { f in
        var s = stat()
        let size = stat(f, &s) == 0 ? Int64(s.st_size) : 0
        return .object(["path": .string(f), "bytes": .int(size), "crc32": .string(crc32Hex(ofFile: f))])
    }
}

/// CRC-32 (zlib) of a file's bytes, as 8 hex digits.
func crc32Hex(ofFile path: String) -> String {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var crc: uLong = crc32(0, nil, 0)
    var buf = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        crc = buf.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt(n)) }
    }
    return hex8(crc)
}

/// A CRC-32 as 8 lowercase hex digits.
func hex8(_ crc: uLong) -> String {
    let s = String(crc, radix: 16)
    return String(repeating: "0", count: max(0, 8 - s.count)) + s
}

/// A fingerprint of the inputs: CRC-32 over each file's path, size and modification time.
func inputFingerprint(_ files: [String]) -> String {
    var crc: uLong = crc32(0, nil, 0)
    for f in files {
        var s = stat()
        let line = stat(f, &s) == 0 ? "\(f)\t\(s.st_size)\t\(s.st_mtim.tv_sec)\n" : "\(f)\n"
        var l = line
        l.withUTF8 { crc = crc32(crc, $0.baseAddress, uInt($0.count)) }
    }
    return hex8(crc)
}

/// The formats a folder of tables can be written in (a terminal table is not one).
enum AnalyzeFormat: String, CaseIterable, ExpressibleByArgument {
    case parquet, tsv, csv, jsonl
    var outputFormat: OutputFormat {
        switch self {
        case .parquet: .parquet
        case .tsv: .tsv
        case .csv: .csv
        case .jsonl: .jsonl
        }
    }
}
