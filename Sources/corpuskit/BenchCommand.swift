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

/// `corpuskit bench`: throughput of each pipeline stage on the user's own corpus (issue 8).
///
/// The corpus is read once, through the real readers, into memory before anything is timed; every
/// stage but `read` then runs from memory, so the figures are the pipeline's, not the disk's.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Throughput of each pipeline stage on your corpus: MB/s, tokens/s, wall time, peak memory, speed-up over one job.",
        discussion: """
            The inputs are read once, through the real readers, into memory before any timing. Then each \
            stage runs at each job count --repeat times and the median is printed; the runs are taken in \
            rounds (each round runs every stage, segmenter and job count once), so what is compared was \
            measured side by side in time:
              read       reader and decoder alone (framing on one thread, decoding on the jobs), from the page cache
              segment    word segmentation only
              normalize  segmentation + normalization of every token (no counting)
              sentences  sentence boundaries only (--segmenter both compares the fast path with ICU)
              terms      the whole terms engine (Engine.run over the in-memory documents)
              ngrams     the engine counting bigrams
              cooc       the engine counting co-occurrences within a window of 5
              parquet    writing the terms table to a temporary Parquet file (single-threaded: one job only)
            MB/s is per input byte for read, per byte of analyzed text (title, blank line, body) for the \
            segmenting stages, per byte written for parquet. Tokens are segments with rule status >= 100. \
            Peak memory is the process's peak resident set during the stage's run in the first round (reset \
            before each run; the corpus held in memory is included; later rounds start with what heavier \
            stages left in the allocator). cpu s = user + system CPU time of the run. Speed-up = \
            median wall time at one job / at N jobs.

            Example: corpuskit bench corpora/reuters21578/ --stages terms,ngrams --jobs 1,2
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    static let allStages = ["read", "segment", "normalize", "sentences", "terms", "ngrams", "cooc", "parquet"]

    @Argument(help: "Files, folders (recursive) or - for standard input; .gz is read transparently.")
    var inputs: [String] = []

    @Option(help: "Job counts to measure, comma-separated (default: 1 and all active cores).")
    var jobs: String?

    @Option(name: .customLong("repeat"), help: "Runs per stage and job count; the median is reported.")
    var repeatCount: Int = 3

    @Option(help: "Stages, comma-separated: \(BenchCommand.allStages.joined(separator: ", ")) (default: all).")
    var stages: String?

    @Option(help: "Output: table or json.")
    var format: Format = .table

    @Option(help: "Word segmenter(s): auto, icu, or both (auto,icu) to compare them side by side.")
    var segmenter: String = "auto"

    @OptionGroup var text: TextOptions
    @OptionGroup var read: ReadOptions

    func validate() throws {
        guard repeatCount >= 1 else { throw ValidationError("--repeat must be at least 1") }
        _ = try jobCounts()
        _ = try stageList()
        _ = try segmenterList()
        // bench times stages on every document: a de-duplication pass would be a stage of its own.
        if read.dedup != nil { throw ValidationError("--dedup: bench measures every document; de-duplicate the corpus first (corpuskit dups lists the copies)") }
    }

    func jobCounts() throws -> [Int] {
        guard let jobs else {
            let all = Engine.defaultJobs
            return all > 1 ? [1, all] : [1]
        }
        var out: [Int] = []
        for part in jobs.split(separator: ",") {
            let s = part.trimmingSpaces()
            guard let n = Int(s), n >= 1, n <= 1024 else {
                throw ValidationError("--jobs: '\(s)' is not a job count (a whole number from 1 to 1024; give a list like 1,2,4)")
            }
            if !out.contains(n) { out.append(n) }
        }
        guard !out.isEmpty else { throw ValidationError("--jobs: give at least one job count, e.g. 1,2") }
        return out
    }

    func stageList() throws -> [String] {
        guard let stages else { return BenchCommand.allStages }
        var chosen = Set<String>()
        for part in stages.split(separator: ",") {
            let s = part.trimmingSpaces().lowercased()
            guard BenchCommand.allStages.contains(s) else {
                throw ValidationError("--stages: unknown stage '\(s)' (choose from \(BenchCommand.allStages.joined(separator: ", ")))")
            }
            chosen.insert(s)
        }
        guard !chosen.isEmpty else { throw ValidationError("--stages: give at least one stage") }
        return BenchCommand.allStages.filter { chosen.contains($0) }
    }

    func segmenterList() throws -> [SegmenterChoice] {
        if segmenter.lowercased() == "both" { return [.auto, .icu] }
        var out: [SegmenterChoice] = []
        for part in segmenter.split(separator: ",") {
            let s = part.trimmingSpaces().lowercased()
            guard let c = SegmenterChoice(rawValue: s) else {
                throw ValidationError("--segmenter: '\(s)' is not a segmenter (auto, icu, or both)")
            }
            if !out.contains(c) { out.append(c) }
        }
        guard !out.isEmpty else { throw ValidationError("--segmenter: give auto, icu or both") }
        return out
    }

    func run() throws {
        guard !inputs.isEmpty else { throw ValidationError("give INPUTS: files, folders, or - for standard input") }
        text.checkLocale()
        let jobList = try jobCounts()
        let stageNames = try stageList()
        let segmenters = try segmenterList()
        let readerOptions = try read.readerOptions()
        let diagnostics = Diagnostics(strict: read.strict)
        let verbose = isTerminal(2)

        // Load once, through the real readers, before any timing.
        let loadStart = monotonicNanos()
        let reader = try CorpusReader(paths: inputs, options: readerOptions, diagnostics: diagnostics)
        var documents: [Document] = []
        while let chunk = try reader.nextChunk() {
            documents += try CorpusReader.decode(chunk, options: readerOptions, diagnostics: diagnostics)
        }
        for i in documents.indices { documents[i].ordinal = i }
        let loadSeconds = seconds(since: loadStart)
        let corpus = BenchCorpus(documents: documents, files: reader.files, inputBytes: Int(reader.bytesRead))
        if let line = diagnostics.summaryLine() { printError("corpuskit: \(line)") }
        guard corpus.documents.count > 0 else {
            throw ValidationError("no documents in \(inputs.joined(separator: " ")): nothing to measure")
        }
        if stageNames.contains("read") && reader.files.contains("-") {
            throw ValidationError("the read stage re-reads the inputs: it cannot be measured on standard input (leave it out with --stages)")
        }
        let baseline = PeakMemory.currentMB()
        if verbose {
            printError("bench: loaded \(corpus.documents.count) documents, \(formatFixed(Double(corpus.textBytes) / 1e6, 1)) MB of text from \(reader.files.count) file(s) in \(formatFixed(loadSeconds, 2)) s (not timed)")
        }

        // Every (stage, segmenter, jobs) is measured once per round, `--repeat` rounds: the runs that are
        // compared are interleaved in time, so a slow spell of a shared machine falls on all of them
        // alike instead of on whichever ran during it.
        let cases: [(stage: String, segmenter: SegmenterChoice?, jobs: Int)] = stageNames.flatMap { stage in
            let usesSegmenter = !(stage == "read" || stage == "parquet")
            let stageSegmenters: [SegmenterChoice?] = usesSegmenter ? segmenters.map { $0 } : [nil]
            let stageJobs = stage == "parquet" ? [1] : jobList
            return stageSegmenters.flatMap { seg in stageJobs.map { (stage, seg, $0) } }
        }
        var runs = [[RunMeasure]](repeating: [], count: cases.count)
        var lastTerms: CorpusStats? = nil
        var roundsStart: UInt64? = nil
        for r in 0..<repeatCount {
            for (k, c) in cases.enumerated() {
                let (stage, seg, j) = c
                if stage == "parquet" && lastTerms == nil {
                    // The table to write comes from a terms run, done here untimed.
                    lastTerms = try measureEngine(corpus, plan: AnalysisPlan(tokenizer: text.tokenizerOptions), jobs: jobList.max() ?? 1).1
                }
                if verbose {
                    printError("bench: \(stage)\(seg.map { " (\($0.rawValue))" } ?? "") jobs=\(j) run \(r + 1)/\(repeatCount)…")
                }
                let started = monotonicNanos()
                if roundsStart == nil { roundsStart = started }
                var m: RunMeasure
                switch stage {
                case "read":
                    m = try measureRead(jobs: j, options: readerOptions, strict: read.strict)
                case "segment":
                    m = try measureSegment(corpus, jobs: j, choice: seg!, normalize: false)
                case "normalize":
                    m = try measureSegment(corpus, jobs: j, choice: seg!, normalize: true)
                case "sentences":
                    m = try measureSegment(corpus, jobs: j, choice: seg!, normalize: false, sentences: true)
                case "terms", "ngrams", "cooc":
                    var plan = AnalysisPlan(tokenizer: text.tokenizerOptions)
                    plan.tokenizer.segmenter = seg!
                    if stage == "ngrams" { plan.ngramN = 2 }
                    if stage == "cooc" { plan.cooc = .window(5) }
                    let (measure, stats) = try measureEngine(corpus, plan: plan, jobs: j)
                    if stage == "terms" && stageNames.contains("parquet") { lastTerms = stats }  // else freed now
                    m = measure
                case "parquet":
                    m = try measureParquet(lastTerms!)
                default:
                    fatalError("unreachable: stage \(stage) was validated")
                }
                m.started = Double(started - roundsStart!) / 1e9
                runs[k].append(m)
            }
        }
        var results = cases.indices.map { k in
            BenchResult(stage: cases[k].stage, segmenter: cases[k].segmenter?.rawValue, jobs: cases[k].jobs, runs: runs[k])
        }
        // Speed-up over one job, per stage and segmenter.
        for i in results.indices {
            if let one = results.first(where: { $0.stage == results[i].stage && $0.segmenter == results[i].segmenter && $0.jobs == 1 }),
               results[i].medianSeconds > 0, results[i].stage != "parquet" {
                results[i].speedup = one.medianSeconds / results[i].medianSeconds
            }
        }
        let report = BenchReport(corpus: corpus, loadSeconds: loadSeconds, baselineMB: baseline, repeats: repeatCount,
                                 results: results, peakScope: PeakMemory.canReset ? "stage" : "process",
                                 segmenterNote: FastPathStatus.describe())
        switch format {
        case .table: report.printTable()
        case .json: report.printJSON()
        }
    }

    // MARK: - Stages

    private func measureRead(jobs: Int, options: ReaderOptions, strict: Bool) throws -> RunMeasure {
        let diagnostics = Diagnostics(strict: strict, echo: false)
        PeakMemory.reset()
        let start = monotonicNanos()
        let cpu0 = processCPUSeconds()
        let reader = try CorpusReader(paths: inputs, options: options, diagnostics: diagnostics)
        let queue = ChunkQueue(capacity: jobs * 4)
        let docs = AtomicCounter()
        let failure = Locked<(any Error)?>(nil)
        let group = DispatchGroup()
        for _ in 0..<jobs {
            group.enter()
            DispatchQueue.global(qos: .userInitiated).async {
                defer { group.leave() }
                while let chunk = queue.pop() {
                    do {
                        let d = try CorpusReader.decode(chunk, options: options, diagnostics: diagnostics)
                        docs.add(d.count)
                    } catch {
                        failure.withLock { if $0 == nil { $0 = error } }
                    }
                }
            }
        }
        var readError: (any Error)? = nil
        do {
            while let chunk = try reader.nextChunk() { queue.push(chunk) }
        } catch { readError = error }
        for _ in 0..<jobs { queue.push(nil) }
        group.wait()
        let secs = seconds(since: start)
        let cpu = processCPUSeconds() - cpu0
        if let e = failure.withLock({ $0 }) { throw e }
        if let readError { throw readError }
        return RunMeasure(seconds: secs, cpuSeconds: cpu, bytes: Int(reader.bytesRead), items: docs.value, peakMB: PeakMemory.peakMB())
    }

    /// Segmentation (and normalization), or sentence boundaries alone (items = sentences), on `jobs`
    /// threads, documents handed out in batches of 64.
    private func measureSegment(_ corpus: BenchCorpus, jobs: Int, choice: SegmenterChoice, normalize: Bool,
                                sentences: Bool = false) throws -> RunMeasure {
        var options = text.tokenizerOptions
        options.segmenter = choice
        // Segmenters and normalizers are opened before the clock starts.
        let workers = try (0..<jobs).map { _ in
            SegmentWorker(segmenter: try SegmenterFactory.make(options),
                          normalizer: normalize ? try TokenNormalizer(mode: options.normalization, stripAccents: options.stripAccents, locale: options.locale) : nil,
                          sentences: sentences ? try SegmenterFactory.makeSentences(options) : nil)
        }
        let next = AtomicCounter()
        let documents = corpus.documents
        let batch = 64
        PeakMemory.reset()
        let start = monotonicNanos()
        let cpu0 = processCPUSeconds()
        let group = DispatchGroup()
        for w in workers {
            group.enter()
            DispatchQueue.global(qos: .userInitiated).async {
                defer { group.leave() }
                while true {
                    let first = next.add(batch)
                    if first >= documents.count { break }
                    for i in first..<min(documents.count, first + batch) { w.process(documents[i]) }
                }
            }
        }
        group.wait()
        let secs = seconds(since: start)
        let cpu = processCPUSeconds() - cpu0
        return RunMeasure(seconds: secs, cpuSeconds: cpu, bytes: corpus.textBytes, items: workers.reduce(0) { $0 + $1.tokens }, peakMB: PeakMemory.peakMB())
    }

    private func measureEngine(_ corpus: BenchCorpus, plan: AnalysisPlan, jobs: Int) throws -> (RunMeasure, CorpusStats) {
        // Chunks of 64 documents, taken by the workers themselves (the source is an index): each worker
        // copies its documents out of the corpus, so no thread but the workers runs during the pass.
        let documents = corpus.documents
        var i = 0
        let source = WorkSource<Range<Int>>(
            next: {
                guard i < documents.count else { return nil }
                let j = min(documents.count, i + 64)
                defer { i = j }
                return i..<j
            },
            decode: { Array(documents[$0]) },
            byteCount: { documents[$0].reduce(0) { $0 + $1.analyzedByteCount } },
            pulledByWorkers: true)
        PeakMemory.reset()
        let start = monotonicNanos()
        let cpu0 = processCPUSeconds()
        let stats = try Engine.run(plan: plan, jobs: jobs, source: source)
        let secs = seconds(since: start)
        let cpu = processCPUSeconds() - cpu0
        return (RunMeasure(seconds: secs, cpuSeconds: cpu, bytes: Int(stats.textBytes), items: Int(stats.totalTokens), peakMB: PeakMemory.peakMB()), stats)
    }

    private func measureParquet(_ stats: CorpusStats) throws -> RunMeasure {
        let rows = stats.termRows()
        let total = stats.totalTokens
        let tmp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        let path = "\(tmp)/corpuskit-bench-\(getpid()).parquet"
        let columns = [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("per_million", .double)]
        PeakMemory.reset()
        let start = monotonicNanos()
        let cpu0 = processCPUSeconds()
        let writer = try makeTableWriter(format: .parquet, columns: columns, path: path,
                                         options: SinkOptions(metadata: standardMetadata(command: "bench")))
        do {
            for r in rows {
                try writer.write([stats.cell(r.term), .int(Int64(r.count)), .int(Int64(r.docs)), .double(stats.perMillion(r.count, of: total))])
            }
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
        let secs = seconds(since: start)
        let cpu = processCPUSeconds() - cpu0
        var st = stat()
        let size = stat(path, &st) == 0 ? Int(st.st_size) : 0
        unlink(path)
        return RunMeasure(seconds: secs, cpuSeconds: cpu, bytes: size, items: rows.count, peakMB: PeakMemory.peakMB())
    }
}

// MARK: - Pieces

/// The corpus held in memory for the run.
fileprivate struct BenchCorpus {
    let documents: [Document]
    let files: [String]
    let inputBytes: Int
    let textBytes: Int
    init(documents: [Document], files: [String], inputBytes: Int) {
        self.documents = documents
        self.files = files
        self.inputBytes = inputBytes
        self.textBytes = documents.reduce(0) { $0 + $1.analyzedByteCount }
    }
}

/// One worker of the segment/normalize stages: its own segmenter, normalizer and scratch buffers.
fileprivate final class SegmentWorker: @unchecked Sendable {  // used by one thread at a time
    let segmenter: any WordSegmenter
    let normalizer: TokenNormalizer?
    /// Set for the sentences stage: only sentence boundaries are found (and counted as items).
    let sentences: (any SentenceSegmenter)?
    var sentenceEnds: [Int32] = []
    var segments: [WordSegment] = []
    var scratch: [UInt8] = []
    var normalized: [UInt8] = []
    var tokens = 0

    init(segmenter: any WordSegmenter, normalizer: TokenNormalizer?, sentences: (any SentenceSegmenter)? = nil) {
        self.segmenter = segmenter
        self.normalizer = normalizer
        self.sentences = sentences
        segments.reserveCapacity(1 << 12)
        normalized.reserveCapacity(256)
    }

    func process(_ d: Document) {
        if let title = d.title, !title.isEmpty {
            // The analyzed text (title, blank line, body) in a reused buffer.
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: title.utf8)
            scratch.append(10)
            scratch.append(10)
            scratch.append(contentsOf: d.body)
            scratch.withUnsafeBufferPointer { segmentText($0) }
        } else {
            d.body.withUnsafeBufferPointer { segmentText($0) }
        }
    }

    @inline(__always)
    private func segmentText(_ buf: UnsafeBufferPointer<UInt8>) {
        if let sentences {
            sentences.boundaries(buf, into: &sentenceEnds)
            tokens += sentenceEnds.count
            return
        }
        segmenter.segment(buf, into: &segments)
        guard let normalizer else {
            for s in segments where s.status >= 100 { tokens += 1 }
            return
        }
        for s in segments where s.status >= 100 {
            normalized.removeAll(keepingCapacity: true)
            normalizer.normalize(UnsafeBufferPointer(rebasing: buf[Int(s.start)..<Int(s.end)]), into: &normalized)
            if !normalized.isEmpty { tokens += 1 }
        }
    }
}

fileprivate final class AtomicCounter: Sendable {
    private let atomic = Atomic<Int>(0)
    /// Adds `n`; returns the value before.
    @discardableResult
    func add(_ n: Int) -> Int { atomic.wrappingAdd(n, ordering: .relaxed).oldValue }
    var value: Int { atomic.load(ordering: .relaxed) }
}

/// A bounded queue of record chunks between the framing thread and the decoders.
fileprivate final class ChunkQueue: Sendable {
    private let items = Locked<[RecordChunk?]>([])
    private let free: DispatchSemaphore
    private let ready = DispatchSemaphore(value: 0)
    init(capacity: Int) { free = DispatchSemaphore(value: capacity) }
    func push(_ x: RecordChunk?) {
        free.wait()
        items.withLock { $0.append(x) }
        ready.signal()
    }
    func pop() -> RecordChunk? {
        ready.wait()
        let x = items.withLock { $0.removeFirst() }
        free.signal()
        return x
    }
}

/// One timed run.
fileprivate struct RunMeasure {
    var seconds: Double
    /// CPU seconds (user + system) of the whole process during the run: less sensitive than wall time
    /// to other work on a shared machine.
    var cpuSeconds: Double = 0
    /// Bytes the MB/s figure is per (input, analyzed text, or file written).
    var bytes: Int
    /// Tokens (documents for read, rows for parquet).
    var items: Int
    var peakMB: Double
    /// When the run started: seconds after the first timed run of the bench started.
    var started: Double = 0
}

fileprivate struct BenchResult {
    let stage: String
    let segmenter: String?
    let jobs: Int
    let runs: [RunMeasure]
    var speedup: Double? = nil

    var itemUnit: String {
        switch stage {
        case "read": "documents"
        case "sentences": "sentences"
        case "parquet": "rows"
        default: "tokens"
        }
    }
    var bytesUnit: String {
        switch stage {
        case "read": "input"
        case "parquet": "written"
        default: "text"
        }
    }
    var medianSeconds: Double {
        let s = runs.map(\.seconds).sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    var bytes: Int { runs.last?.bytes ?? 0 }
    var items: Int { runs.last?.items ?? 0 }
    var mbPerSecond: Double { medianSeconds > 0 ? Double(bytes) / 1e6 / medianSeconds : 0 }
    var itemsPerSecond: Double { medianSeconds > 0 ? Double(items) / medianSeconds : 0 }
    /// The first round's: in it each stage ran after the lighter ones only (later rounds begin with what the
    /// heavier stages of the round before left in the allocator, which is not this stage's).
    var peakMB: Double { runs.first?.peakMB ?? 0 }
    var medianCPUSeconds: Double {
        let s = runs.map(\.cpuSeconds).sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

fileprivate struct BenchReport {
    let corpus: BenchCorpus
    let loadSeconds: Double
    let baselineMB: Double
    let repeats: Int
    let results: [BenchResult]
    let peakScope: String
    let segmenterNote: String

    func printTable() {
        let out = StdoutWriter()
        out.write("corpus: \(corpus.documents.count) documents, \(formatFixed(Double(corpus.textBytes) / 1e6, 1)) MB of text (\(formatFixed(Double(corpus.inputBytes) / 1e6, 1)) MB input, \(corpus.files.count) file(s)); loaded in \(formatFixed(loadSeconds, 2)) s, not timed; resident after loading \(formatFixed(baselineMB, 0)) MB\n")
        out.write("machine: \(Engine.defaultJobs) active core(s); ICU \(ICUInfo.icuVersion); segmenter auto = \(segmenterNote); median of \(repeats) run(s), taken in interleaved rounds\n\n")
        let header = ["stage", "segmenter", "jobs", "MB/s", "Mtokens/s", "wall s", "cpu s", "peak MB", "speed-up"]
        var rows: [[String]] = []
        for r in results {
            rows.append([
                r.stage, r.segmenter ?? "-", String(r.jobs), formatFixed(r.mbPerSecond, 1),
                r.itemUnit == "tokens" ? formatFixed(r.itemsPerSecond / 1e6, 2) : "-",
                formatFixed(r.medianSeconds, 3), formatFixed(r.medianCPUSeconds, 3), formatFixed(r.peakMB, 0),
                r.speedup.map { formatFixed($0, 2) + "x" } ?? "-",
            ])
        }
        var widths = header.map { $0.count }
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return i < 2 ? c + pad : pad + c
            }.joined(separator: "  ")
        }
        out.write(line(header) + "\n")
        out.write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        for row in rows { out.write(line(row) + "\n") }
        out.write("\nMB/s: read = input bytes (from the page cache), parquet = bytes written, others = analyzed text (title, blank line, body).\n")
        out.write("read: \(results.first { $0.stage == "read" }.map { "\($0.items) documents per run" } ?? "not measured"); parquet: \(results.first { $0.stage == "parquet" }.map { "\($0.items) rows per run, single-threaded" } ?? "not measured").\n")
        out.write("cpu s: user + system CPU time of the process during the run (median): on a shared machine, MB per cpu-second is steadier than MB/s.\n")
        out.write("peak MB: \(peakScope == "stage" ? "peak resident set during the stage's first-round run (reset before each run), the in-memory corpus included" : "the process's peak resident set so far (this kernel cannot reset it)").\n")
        out.flush()
    }

    func printJSON() {
        var s = "{\n"
        s += "  \"corpuskit_version\": \(jsonString(corpusKitVersion)),\n"
        s += "  \"icu_version\": \(jsonString(ICUInfo.icuVersion)),\n"
        s += "  \"cores\": \(Engine.defaultJobs),\n"
        s += "  \"segmenter_auto\": \(jsonString(segmenterNote)),\n"
        s += "  \"repeats\": \(repeats),\n"
        s += "  \"peak_memory_scope\": \(jsonString(peakScope)),\n"
        s += "  \"corpus\": {\"files\": \(corpus.files.count), \"documents\": \(corpus.documents.count), \"input_bytes\": \(corpus.inputBytes), \"text_bytes\": \(corpus.textBytes), \"load_seconds\": \(jsonNumber(loadSeconds)), \"resident_mb_after_load\": \(jsonNumber(baselineMB))},\n"
        s += "  \"results\": [\n"
        for (k, r) in results.enumerated() {
            s += "    {\"stage\": \(jsonString(r.stage)), \"segmenter\": \(r.segmenter.map(jsonString) ?? "null"), \"jobs\": \(r.jobs)"
            s += ", \"wall_seconds\": \(jsonNumber(r.medianSeconds)), \"runs_seconds\": [\(r.runs.map { jsonNumber($0.seconds) }.joined(separator: ", "))]"
            s += ", \"runs_started_seconds\": [\(r.runs.map { jsonNumber($0.started) }.joined(separator: ", "))]"
            s += ", \"cpu_seconds\": \(jsonNumber(r.medianCPUSeconds))"
            s += ", \"bytes\": \(r.bytes), \"bytes_measure\": \(jsonString(r.bytesUnit)), \"mb_per_s\": \(jsonNumber(r.mbPerSecond))"
            s += ", \"items\": \(r.items), \"item_unit\": \(jsonString(r.itemUnit)), \"items_per_s\": \(jsonNumber(r.itemsPerSecond))"
            s += ", \"tokens_per_s\": \(r.itemUnit == "tokens" ? jsonNumber(r.itemsPerSecond) : "null")"
            s += ", \"peak_rss_mb\": \(jsonNumber(r.peakMB)), \"speedup\": \(r.speedup.map(jsonNumber) ?? "null")}"
            s += k + 1 < results.count ? ",\n" : "\n"
        }
        s += "  ]\n}\n"
        let out = StdoutWriter()
        out.write(s)
        out.flush()
    }
}

/// What `--segmenter auto` currently resolves to (the fast path, or plain ICU while it is not available).
fileprivate enum FastPathStatus {
    static func describe() -> String {
        guard let seg = try? SegmenterFactory.make(TokenizerOptions(segmenter: .auto)) else { return "unavailable" }
        if seg is ICUWordSegmenter { return "plain ICU (no fast path for this locale/build)" }
        return "fast path (\(type(of: seg))\(SegmenterFactory.fastPathNote.map { "; " + $0 } ?? ""))"
    }
}

/// Peak resident memory. Linux: VmHWM from /proc/self/status, reset through /proc/self/clear_refs
/// ("5", Linux >= 4.0); elsewhere, or when the reset fails, getrusage's ru_maxrss (the process's peak).
fileprivate enum PeakMemory {
    static let canReset: Bool = writeClearRefs()

    /// glibc's `malloc_trim` (not in the Glibc module's headers): looked up once, nil elsewhere.
    nonisolated(unsafe) static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(sym, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// Returns freed heap to the system first (glibc `malloc_trim`), so that memory kept from an
    /// earlier stage does not count as this stage's peak.
    static func reset() {
        if let trim = mallocTrim { _ = trim(0) }
        if canReset { _ = writeClearRefs() }
    }

    private static func writeClearRefs() -> Bool {
        let fd = open("/proc/self/clear_refs", O_WRONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return write(fd, "5", 1) == 1
    }

    /// Peak resident set in MB since the last reset.
    static func peakMB() -> Double {
        if let kb = statusField("VmHWM:") { return Double(kb) / 1024 }
        var u = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
        return Double(u.ru_maxrss) / 1024
    }

    static func currentMB() -> Double {
        if let kb = statusField("VmRSS:") { return Double(kb) / 1024 }
        return peakMB()
    }

    private static func statusField(_ name: String) -> Int? {
        let fd = open("/proc/self/status", O_RDONLY)
        guard fd >= 0 else { return nil }
        let bytes = readAll(fd: fd)
        close(fd)
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.dropFirst(name.count).filter { $0.isNumber }
            return Int(digits)
        }
        return nil
    }
}

fileprivate func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

fileprivate func seconds(since start: UInt64) -> Double { Double(monotonicNanos() - start) / 1e9 }

/// User + system CPU seconds of this process so far.
fileprivate func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

/// `x` with `digits` decimals (no Foundation).
fileprivate func formatFixed(_ x: Double, _ digits: Int) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let negative = x < 0
    let v = (abs(x) * scale).rounded()
    let whole = Int(v / scale)
    let frac = Int(v - Double(whole) * scale)
    var s = (negative && v != 0 ? "-" : "") + String(whole)
    if digits > 0 {
        let f = String(frac)
        s += "." + String(repeating: "0", count: max(0, digits - f.count)) + f
    }
    return s
}

fileprivate func jsonNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

fileprivate func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if u.value < 0x20 {
                let h = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
