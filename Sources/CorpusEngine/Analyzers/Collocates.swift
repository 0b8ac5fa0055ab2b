import CorpusCore

/// Collocates of a node (one term or a multi-word node) within a window of w tokens on each side, in one
/// sentence: count (left + right, with documents) and left alone per collocate; the node's occurrences,
/// its documents, and the margins of the ordered-pair sample (f1 = neighbours of the node's spans).
final class CollocateCounter: WorkerAnalyzer {
    let node: [TermID]
    let window: Int
    var all = CountTable()
    var left = CountTable()
    var nodeCount: UInt64 = 0
    var nodeDocs: UInt64 = 0
    /// Neighbours within the window of every node occurrence's span (f1 of the collocate measures).
    var nodeNeighbours: UInt64 = 0
    /// The ordered-pair margins of the collocate window (f2 and N).
    var margins: WindowMargins

    init(node: [String], window: Int, vocab: Vocabulary) {
        self.node = node.map { vocab.intern($0) }
        self.window = window
        margins = WindowMargins(window: window)
    }

    func grow(to n: Int) { margins.grow(to: n) }

    func process(_ doc: Document, _ c: WorkerContext) {
        guard !node.isEmpty else { return }
        let terms = c.tokens.terms
        let stamp = c.stamp
        let node = self.node
        let w = window
        let single = node.count == 1
        var found = false
        c.tokens.forEachSentence { range in
            margins.add(terms, range)
            guard range.count >= node.count else { return }
            for a in range.lowerBound...(range.upperBound - node.count) {
                var match = true
                for k in 0..<node.count where terms[a + k] != node[k] { match = false; break }
                if !match { continue }
                nodeCount += 1
                found = true
                let b = a + node.count
                nodeNeighbours += UInt64(margins.neighbours(a, b, in: range))
                for j in max(range.lowerBound, a - w)..<a {
                    let t = terms[j]
                    if single && t == node[0] { continue }
                    all.add(UInt64(t), doc: stamp)
                    left.add(UInt64(t), doc: stamp)
                }
                if b < range.upperBound {
                    for j in b..<min(range.upperBound, b + w) {
                        let t = terms[j]
                        if single && t == node[0] { continue }
                        all.add(UInt64(t), doc: stamp)
                    }
                }
            }
        }
        if found { nodeDocs += 1 }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        all.forEach { key, c, d in stats.collocAll.merge(UInt64(remap[Int(key)]), count: c, docs: d) }
        left.forEach { key, c, d in stats.collocLeft.merge(UInt64(remap[Int(key)]), count: c, docs: d) }
        stats.nodeCount += nodeCount
        stats.nodeDocs += nodeDocs
        stats.nodeNeighbours += nodeNeighbours
        WindowMargins.merge(&stats.collocMargins, margins, remap)
    }
}
