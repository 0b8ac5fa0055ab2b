import CorpusCore

/// Terms: count and documents per term, and the corpus totals (documents, tokens, analyzed bytes,
/// undated documents, first and last date). Every plan has it: the measures of every other table use it.
final class UnigramCounter: WorkerAnalyzer {
    /// Count and documents per local term id; the tokenizer adds to it directly in tally mode.
    let tally = TermTally()
    var totalTokens: UInt64 = 0
    var documents: UInt64 = 0
    var undated: UInt64 = 0
    var bytes: UInt64 = 0
    var firstDate: Int64? = nil
    var lastDate: Int64? = nil

    var needsTokenIDs: Bool { false }

    func grow(to n: Int) { tally.reserve(n) }

    func process(_ doc: Document, _ c: WorkerContext) {
        bytes += UInt64(doc.analyzedByteCount)
        documents += 1
        totalTokens += UInt64(c.tokens.tokenCount)
        if c.tokens.tally == nil {
            // The tokens were kept for other analyzers: count them here (else the tokenizer counted them).
            tally.stamp = c.stamp
            for id in c.tokens.terms { tally.add(id) }
        }
        if let d = doc.date {
            if firstDate == nil || d < firstDate! { firstDate = d }
            if lastDate == nil || d > lastDate! { lastDate = d }
        } else {
            undated += 1
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        let n = min(remap.count, tally.count)
        stats.counts.withUnsafeMutableBufferPointer { counts in
            stats.docs.withUnsafeMutableBufferPointer { docs in
                for id in 0..<n {
                    let g = Int(remap[id])
                    let r = tally[id]
                    counts[g] += r.count
                    docs[g] += r.docs
                }
            }
        }
        stats.totalTokens += totalTokens
        stats.documents += documents
        stats.undated += undated
        stats.textBytes += bytes
        if let d = firstDate, stats.firstDate == nil || d < stats.firstDate! { stats.firstDate = d }
        if let d = lastDate, stats.lastDate == nil || d > stats.lastDate! { stats.lastDate = d }
    }
}
