// Real text for the benchmarks: Reuters-21578 titles and bodies, read through CorpusKit's own reader
// once per process, before any timed region. No Foundation here (see Package.swift).
import CorpusCore
import CorpusReaders
#if canImport(Glibc)
import Glibc
#endif

/// The benchmark corpus: documents and their analyzed text (title, blank line, body) as UTF-8 bytes.
public final class BenchCorpus: Sendable {
    /// Documents in input order (ordinals 0, 1, 2, ...).
    public let documents: [Document]
    /// `documents[i].analyzedText`, precomputed so that no stage pays for building it.
    public let texts: [[UInt8]]
    /// Total bytes of `texts`.
    public let bytes: Int
    /// Where it came from.
    public let source: String

    init(documents: [Document], source: String) {
        var docs = documents
        for i in docs.indices { docs[i].ordinal = i }
        self.documents = docs
        self.texts = docs.map { $0.analyzedText }
        self.bytes = texts.reduce(0) { $0 + $1.count }
        self.source = source
    }

    /// `$CORPUSKIT_CORPORA`, else `../shared/corpora` beside the repository this package lives in.
    public static var corporaPath: String {
        if let env = getenv("CORPUSKIT_CORPORA"), env.pointee != 0 { return String(cString: env) }
        // #filePath = <repo>/Benchmarks/Sources/BenchSupport/Corpus.swift
        var dir = "\(#filePath)"
        for _ in 0..<4 {
            if let slash = dir.lastIndex(of: "/") { dir = String(dir[..<slash]) }
        }
        return dir + "/../shared/corpora"
    }

    /// Size of the benchmark text: `$CORPUSKIT_BENCH_MB` megabytes (default 4), whole documents.
    public static var targetBytes: Int {
        if let env = getenv("CORPUSKIT_BENCH_MB"), let mb = Double(String(cString: env)), mb > 0 {
            return Int(mb * 1_000_000)
        }
        return 4_000_000
    }

    /// Reuters-21578 (titles and bodies), the first `targetBytes` of analyzed text, loaded once.
    public static let reuters: BenchCorpus = {
        let path = corporaPath + "/reuters21578"
        var st = stat()
        guard stat(path, &st) == 0 else {
            printError("BenchSupport: \(path) not found: the benchmarks need ../shared/corpora/reuters21578 (set CORPUSKIT_CORPORA)")
            exit(2)
        }
        do {
            let reader = try CorpusReader(paths: [path], diagnostics: Diagnostics(strict: false, echo: false))
            var docs: [Document] = []
            var total = 0
            let limit = targetBytes
            while total < limit, let d = try reader.next() {
                if d.body.isEmpty && (d.title ?? "").isEmpty { continue }
                docs.append(d)
                total += d.analyzedByteCount
            }
            return BenchCorpus(documents: docs, source: path)
        } catch {
            printError("BenchSupport: reading \(path): \(error)")
            exit(2)
        }
    }()
}
