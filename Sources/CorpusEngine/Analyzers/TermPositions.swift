import CorpusCore

/// Per document: its size in tokens and the positions of chosen terms in it (dispersion: the parts a
/// term falls in, and the distances ARF needs). Only the chosen terms' occurrences are kept.
final class TermPositionRecorder: WorkerAnalyzer {
    let targets: [TermID]
    private var index: [TermID: UInt32] = [:]
    var chunk = TermPositionChunk()

    init(terms: [String], vocab: Vocabulary) {
        targets = terms.map { vocab.intern($0) }
        for (i, t) in targets.enumerated() where index[t] == nil { index[t] = UInt32(i) }
    }

    func grow(to n: Int) {}

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        if !index.isEmpty {
            for (p, id) in terms.enumerated() {
                if let k = index[id] {
                    chunk.which.append(k)
                    chunk.positions.append(UInt32(truncatingIfNeeded: p))
                }
            }
        }
        chunk.ordinals.append(doc.ordinal)
        chunk.sizes.append(UInt64(terms.count))
        chunk.ends.append(chunk.which.count)
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        stats.termPositions.append(chunk)
    }
}

/// Documents with the positions of the chosen terms: document k's occurrences are
/// `which[ends[k-1]..<ends[k]]` (index of the term in the chosen list) at `positions` (token index in the
/// document).
public struct TermPositionChunk: Sendable {
    public var ordinals: [Int] = []
    public var sizes: [UInt64] = []
    public var ends: [Int] = []
    public var which: [UInt32] = []
    public var positions: [UInt32] = []

    public func entries(_ k: Int) -> Range<Int> { (k == 0 ? 0 : ends[k - 1])..<ends[k] }
}
