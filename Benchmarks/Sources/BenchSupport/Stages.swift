// The pipeline stages as benchmark kernels. Each returns a count (tokens, rows) so that the work
// cannot be optimized away and throughput can be reported per item as well as per byte.
import CorpusCore
import CorpusEngine
import CorpusExport
import CorpusICU
#if canImport(Glibc)
import Glibc
#endif

/// Word segmentation alone: every segment of every text; returns the number of tokens (status >= 100).
public final class SegmentStage {
    let segmenter: any WordSegmenter
    var segments: [WordSegment] = []

    /// `choice` goes through the engine's `SegmenterFactory`: `.auto` is the fast path where proven
    /// identical to ICU (plain ICU until it lands), `.icu` always ICU.
    public init(_ choice: SegmenterChoice, locale: String = "") throws {
        segmenter = try SegmenterFactory.make(TokenizerOptions(locale: locale, segmenter: choice))
        segments.reserveCapacity(1 << 14)
    }

    public func run(_ corpus: BenchCorpus) -> Int {
        var tokens = 0
        for t in corpus.texts {
            t.withUnsafeBufferPointer { segmenter.segment($0, into: &segments) }
            for s in segments where s.status >= 100 { tokens += 1 }
        }
        return tokens
    }
}

/// Segmentation + normalization (NFKC_Casefold by default, the normalizer's own ASCII fast path),
/// no interning: returns the number of non-empty normalized tokens.
public final class NormalizeStage {
    let segmenter: any WordSegmenter
    let normalizer: TokenNormalizer
    var segments: [WordSegment] = []
    var out: [UInt8] = []

    public init(_ choice: SegmenterChoice, mode: NormalizationMode = .nfkcCasefold, locale: String = "") throws {
        segmenter = try SegmenterFactory.make(TokenizerOptions(normalization: mode, locale: locale, segmenter: choice))
        normalizer = try TokenNormalizer(mode: mode, locale: locale)
        out.reserveCapacity(256)
    }

    public func run(_ corpus: BenchCorpus) -> Int {
        var tokens = 0
        for t in corpus.texts {
            t.withUnsafeBufferPointer { buf in
                segmenter.segment(buf, into: &segments)
                for s in segments where s.status >= 100 {
                    out.removeAll(keepingCapacity: true)
                    normalizer.normalize(UnsafeBufferPointer(rebasing: buf[Int(s.start)..<Int(s.end)]), into: &out)
                    if !out.isEmpty { tokens += 1 }
                }
            }
        }
        return tokens
    }
}

/// The whole engine (`Engine.run`) over the in-memory documents, in batches of 64 as the readers give them.
public enum EngineStage {
    public static func plan(_ analyzer: String, segmenter: SegmenterChoice = .auto) -> AnalysisPlan {
        var plan = AnalysisPlan(tokenizer: TokenizerOptions(segmenter: segmenter))
        switch analyzer {
        case "ngrams": plan.ngramN = 2
        case "cooc": plan.cooc = .window(5)
        default: break
        }
        return plan
    }

    public static func source(_ corpus: BenchCorpus, batch: Int = 64) -> WorkSource<[Document]> {
        let docs = corpus.documents
        var i = 0
        return WorkSource(
            next: {
                guard i < docs.count else { return nil }
                let j = min(docs.count, i + batch)
                defer { i = j }
                return Array(docs[i..<j])
            },
            decode: { $0 },
            byteCount: { $0.reduce(0) { $0 + $1.analyzedByteCount } })
    }

    /// Runs `plan` with `jobs` workers; returns the merged statistics.
    public static func run(_ corpus: BenchCorpus, plan: AnalysisPlan, jobs: Int) throws -> CorpusStats {
        try Engine.run(plan: plan, jobs: jobs, source: source(corpus))
    }
}

/// Writes a `terms` table (term, count, docs, per_million) as Parquet to a temporary file.
public final class ParquetStage {
    let rows: [(String, Int64, Int64, Double)]
    public let path: String

    /// The table of `stats` (a terms run done before any timing), sorted as `corpuskit terms` sorts it.
    public init(stats: CorpusStats) {
        let total = stats.totalTokens
        rows = stats.termRows().map { r in
            (stats.vocabulary.string(r.term), Int64(r.count), Int64(r.docs), stats.perMillion(r.count, of: total))
        }
        let tmp = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        path = "\(tmp)/corpuskit-bench-\(getpid()).parquet"
    }

    public var rowCount: Int { rows.count }

    /// Writes the file (through the real sink: temporary file, rename); returns its size in bytes.
    public func run(compression: Compression = .none) throws -> Int {
        let columns = [Column("term", .string), Column("count", .int64), Column("docs", .int64), Column("per_million", .double)]
        let writer = try makeTableWriter(format: .parquet, columns: columns, path: path, options: SinkOptions(compression: compression))
        for r in rows {
            try writer.write([.string(r.0), .int(r.1), .int(r.2), .double(r.3)])
        }
        try writer.finish()
        var st = stat()
        let size = stat(path, &st) == 0 ? Int(st.st_size) : 0
        unlink(path)
        return size
    }
}

/// Monotonic nanoseconds.
@inline(__always)
public func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
