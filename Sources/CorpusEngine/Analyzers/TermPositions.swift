import CorpusCore

/// Per document: its size in tokens and the positions of chosen terms in it (dispersion: the parts a
/// term falls in, and the distances ARF needs). Only the chosen terms' occurrences are kept.
final class TermPositionRecorder: WorkerAnalyzer {
    let targets: [TermID]
    /// Local term id → index in `targets` + 1 (0 = not chosen): one array read per token.
    private var index: [UInt32] = []
    var chunk = TermPositionChunk()

    init(terms: [String], vocab: Vocabulary) {
        targets = terms.map { vocab.intern($0) }
    }

    func grow(to n: Int) {
        guard index.count < n else { return }
        let old = index.count
        index.append(contentsOf: repeatElement(0, count: n - old))
        for (i, t) in targets.enumerated() where Int(t) >= old && index[Int(t)] == 0 { index[Int(t)] = UInt32(i + 1) }
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        if !targets.isEmpty {
            for (p, id) in terms.enumerated() {
                let k = index[Int(id)]
                if k != 0 {
                    chunk.which.append(k - 1)
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

    /// The documents whose ordinal `keep` accepts, with their entries (a group's documents, `--group-by`).
    func filtered(_ keep: (Int) -> Bool) -> TermPositionChunk {
        var out = TermPositionChunk()
        for k in ordinals.indices where keep(ordinals[k]) {
            out.ordinals.append(ordinals[k])
            out.sizes.append(sizes[k])
            for e in entries(k) {
                out.which.append(which[e])
                out.positions.append(positions[e])
            }
            out.ends.append(out.which.count)
        }
        return out
    }
}
