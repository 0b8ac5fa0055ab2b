#if canImport(Glibc)
import Glibc
#endif
import CorpusCore

/// What a document-term matrix keeps and how it weights (docs/definitions.md, "Document-term matrix").
public struct MatrixOptions: Sendable {
    public enum Weight: String, Sendable, CaseIterable { case count, tfidf }
    public var weight: Weight = .count
    /// Keep terms in at least this many documents (scikit-learn's integer `min_df`).
    public var minDocs: UInt64 = 1
    /// Keep terms in at most this share of the documents (scikit-learn's float `max_df`).
    public var maxDocsRatio: Double = 1.0
    /// Keep only the K terms with the highest count (after the document filters); ties by UTF-8 bytes.
    public var maxFeatures: Int? = nil
    /// Stopwords and token filters: terms it leaves out are not columns.
    public var filter = TermFilter()
    public init() {}
}

/// A sparse document-term matrix over the run's documents (rows, in input order) and the kept terms
/// (columns, in UTF-8 byte order, as scikit-learn's sorted vocabulary).
public struct DocumentTermMatrix {
    public let options: MatrixOptions
    /// Column j's term, documents containing it, total count, and idf (tf-idf only).
    public let columns: [TermID]
    public let columnDocs: [UInt64]
    public let columnCounts: [UInt64]
    public let idf: [Double]
    /// Rows: (chunk, document index in it), in input order.
    let rows: [(chunk: Int, k: Int)]
    let chunks: [DocumentTermChunk]
    /// Global term id → column (or −1).
    let column: [Int32]

    public var rowCount: Int { rows.count }
    public var columnCount: Int { columns.count }

    /// The row's document ordinal and size in tokens.
    public func document(_ r: Int) -> (ordinal: Int, tokens: UInt64) {
        let (c, k) = rows[r]
        return (chunks[c].ordinals[k], chunks[c].sizes[k])
    }

    /// Calls `body(row, entries)` for every row in order; entries are (column, count, weight) by column.
    /// tf-idf: weight = count × idf, each row scaled to unit Euclidean length (scikit-learn's
    /// `TfidfTransformer()` defaults); count: weight = count.
    public func forEachRow(_ body: (Int, [(column: Int, count: UInt32, weight: Double)]) throws -> Void) rethrows {
        var entries: [(column: Int, count: UInt32, weight: Double)] = []
        for (r, (c, k)) in rows.enumerated() {
            entries.removeAll(keepingCapacity: true)
            let chunk = chunks[c]
            for e in chunk.entries(k) {
                let j = column[Int(chunk.terms[e])]
                if j >= 0 { entries.append((Int(j), chunk.counts[e], Double(chunk.counts[e]))) }
            }
            entries.sort { $0.column < $1.column }
            if options.weight == .tfidf && !entries.isEmpty {
                var ss = 0.0
                for i in entries.indices {
                    entries[i].weight *= idf[entries[i].column]
                    ss += entries[i].weight * entries[i].weight
                }
                let norm = ss.squareRoot()
                if norm > 0 { for i in entries.indices { entries[i].weight /= norm } }
            }
            try body(r, entries)
        }
    }

    /// Nonzero cells (after the column filters).
    public var nonzeroCount: Int {
        var n = 0
        for (c, k) in rows {
            let chunk = chunks[c]
            for e in chunk.entries(k) where column[Int(chunk.terms[e])] >= 0 { n += 1 }
        }
        return n
    }
}

extension CorpusStats {
    /// The documents of per-worker chunks (each chunk's document ordinals) in input order, as (chunk,
    /// index in the chunk); `include(chunk, k)` leaves documents out.
    static func inputOrder(_ ordinals: [[Int]], include: (Int, Int) -> Bool = { _, _ in true }) -> [(chunk: Int, k: Int)] {
        var order: [(ordinal: Int, chunk: Int, k: Int)] = []
        for (c, chunk) in ordinals.enumerated() {
            for k in chunk.indices where include(c, k) { order.append((chunk[k], c, k)) }
        }
        order.sort { $0.ordinal < $1.ordinal }
        return order.map { ($0.chunk, $0.k) }
    }

    /// The document-term matrix of a run whose plan kept `documentTerms`.
    public func documentTermMatrix(_ o: MatrixOptions) -> DocumentTermMatrix {
        let rows = Self.inputOrder(documentTerms.map(\.ordinals))
        let nDocs = UInt64(rows.count)
        // Document frequency of each term (a term appears once per document in a chunk).
        var df = [UInt64](repeating: 0, count: vocabulary.count)
        for chunk in documentTerms { for t in chunk.terms { df[Int(t)] += 1 } }
        var kept: [TermID] = []
        let maxDocs = o.maxDocsRatio * Double(nDocs)
        for i in 0..<min(counts.count, df.count) where counts[i] > 0 {
            if df[i] < o.minDocs || Double(df[i]) > maxDocs { continue }
            if !o.filter.isEmpty && o.filter.contains(Array(vocabulary.bytes(TermID(i)))) { continue }
            kept.append(TermID(i))
        }
        let rank = byteRanks
        if let k = o.maxFeatures, kept.count > k {
            kept.sort { a, b in counts[Int(a)] != counts[Int(b)] ? counts[Int(a)] > counts[Int(b)] : rank[Int(a)] < rank[Int(b)] }
            kept.removeSubrange(k...)
        }
        kept.sort { rank[Int($0)] < rank[Int($1)] }
        var column = [Int32](repeating: -1, count: vocabulary.count)
        for (j, t) in kept.enumerated() { column[Int(t)] = Int32(j) }
        let n = Double(nDocs)
        let idf = kept.map { t in log((1 + n) / (1 + Double(df[Int(t)]))) + 1 }
        return DocumentTermMatrix(options: o, columns: kept, columnDocs: kept.map { df[Int($0)] }, columnCounts: kept.map { counts[Int($0)] },
                                  idf: idf, rows: rows, chunks: documentTerms, column: column)
    }
}
