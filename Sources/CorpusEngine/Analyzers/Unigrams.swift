import CorpusCore

/// Terms: count and documents per term, and the corpus totals (documents, tokens, analyzed bytes,
/// undated documents, first and last date). Every plan has it: the measures of every other table use it.
final class UnigramCounter: WorkerAnalyzer {
    var counts: [UInt64] = []
    var docs: [UInt32] = []
    var lastDoc: [UInt32] = []
    var totalTokens: UInt64 = 0
    var documents: UInt64 = 0
    var undated: UInt64 = 0
    var bytes: UInt64 = 0
    var firstDate: Int64? = nil
    var lastDate: Int64? = nil

    func grow(to n: Int) {
        guard counts.count < n else { return }
        let extra = n - counts.count
        counts.append(contentsOf: repeatElement(0, count: extra))
        docs.append(contentsOf: repeatElement(0, count: extra))
        lastDoc.append(contentsOf: repeatElement(UInt32.max, count: extra))
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        let s = c.stamp
        let terms = c.tokens.terms
        bytes += UInt64(doc.analyzedByteCount)
        documents += 1
        totalTokens += UInt64(terms.count)
        for id in terms {
            let i = Int(id)
            counts[i] &+= 1
            if lastDoc[i] != s {
                lastDoc[i] = s
                docs[i] &+= 1
            }
        }
        if let d = doc.date {
            if firstDate == nil || d < firstDate! { firstDate = d }
            if lastDate == nil || d > lastDate! { lastDate = d }
        } else {
            undated += 1
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        for id in 0..<min(remap.count, counts.count) {
            let g = Int(remap[id])
            stats.counts[g] += counts[id]
            stats.docs[g] += docs[id]
        }
        stats.totalTokens += totalTokens
        stats.documents += documents
        stats.undated += undated
        stats.textBytes += bytes
        if let d = firstDate, stats.firstDate == nil || d < stats.firstDate! { stats.firstDate = d }
        if let d = lastDate, stats.lastDate == nil || d > stats.lastDate! { stats.lastDate = d }
    }
}
