import CorpusCore

/// Per document: its size in tokens and the count of every term in it, sparse (the document-term matrix
/// of `dtm`). Memory is one (term, count) entry per distinct term of each document — a few bytes per
/// token at most, never a dense matrix.
final class DocumentTermCounter: WorkerAnalyzer {
    var chunk = DocumentTermChunk()
    private var scratch: [UInt32] = []
    private var touched: [TermID] = []

    func grow(to n: Int) {
        if scratch.count < n { scratch.append(contentsOf: repeatElement(0, count: n - scratch.count)) }
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        for id in terms {
            let i = Int(id)
            if scratch[i] == 0 { touched.append(id) }
            scratch[i] &+= 1
        }
        for t in touched {
            chunk.terms.append(t)
            chunk.counts.append(scratch[Int(t)])
            scratch[Int(t)] = 0
        }
        touched.removeAll(keepingCapacity: true)
        chunk.ordinals.append(doc.ordinal)
        chunk.dates.append(doc.date ?? DocumentTermChunk.undated)
        chunk.sizes.append(UInt64(terms.count))
        chunk.ends.append(chunk.terms.count)
    }

    /// The worker's documents join the run's list with their terms remapped (ordered by ordinal later).
    func merge(into stats: CorpusStats, remap: [TermID]) {
        var c = chunk
        for i in c.terms.indices { c.terms[i] = remap[Int(c.terms[i])] }
        stats.documentTerms.append(c)
    }
}

/// Documents with their sparse term counts: document k's entries are `terms[ends[k-1]..<ends[k]]`.
public struct DocumentTermChunk: Sendable {
    /// The date of an undated document in `dates`.
    public static let undated = Int64.min
    public var ordinals: [Int] = []
    /// Seconds since 1970, or `undated`.
    public var dates: [Int64] = []
    public var sizes: [UInt64] = []
    public var ends: [Int] = []
    public var terms: [TermID] = []
    public var counts: [UInt32] = []

    public func entries(_ k: Int) -> Range<Int> { (k == 0 ? 0 : ends[k - 1])..<ends[k] }
}
