import CorpusCore

/// N-grams (n = 2...5) within sentences, optionally skip-grams (up to `skip` tokens between neighbours);
/// n-grams holding a stopword are not counted. Keys: (a << 32 | b) for n = 2, else (prefix id << 32 | last
/// term) with prefixes chained through interners. Skip-bigrams also keep the margins of their sample.
final class NgramCounter: WorkerAnalyzer {
    let n: Int
    let skip: Int
    var ngrams = CountTable()
    var chain: [KeyInterner] = []
    var positions: [Int] = []
    var skipMargins: SkipMargins? = nil
    /// The document's n-gram keys, added to `ngrams` in batches (the table prefetches ahead).
    private let pending = PendingKeys()

    init(n: Int, skip: Int) {
        self.n = n
        self.skip = skip
        if n > 2 { chain = (0..<(n - 2)).map { _ in KeyInterner() } }
        if n == 2 && skip > 0 { skipMargins = SkipMargins(skip: skip) }
    }

    func grow(to n: Int) { skipMargins?.grow(to: n) }

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        let stamp = c.stamp
        let n = self.n, skip = self.skip
        let stop = c.hasStopwords
        let isStop = c.isStop
        let table = ngrams  // a local: no retain/release and no exclusivity check per n-gram
        let pending = self.pending
        defer { pending.flush(into: table, doc: stamp) }
        c.tokens.forEachSentence { range in
            if skip == 0 {
                guard range.count >= n else { return }
                for i in range.lowerBound...(range.upperBound - n) {
                    if stop {
                        var bad = false
                        for k in 0..<n where isStop[Int(terms[i + k])] { bad = true; break }
                        if bad { continue }
                    }
                    if n == 2 {
                        pending.append(UInt64(terms[i]) << 32 | UInt64(terms[i + 1]), to: table, doc: stamp)
                    } else {
                        var key = UInt64(terms[i]) << 32 | UInt64(terms[i + 1])
                        for k in 2..<n {
                            let id = chain[k - 2].intern(key)
                            key = UInt64(id) << 32 | UInt64(terms[i + k])
                        }
                        pending.append(key, to: table, doc: stamp)
                    }
                }
            } else {
                // Skip-grams (quanteda skip = 0:K): each gap between neighbours is 0...K tokens.
                if skipMargins != nil { skipMargins!.add(terms, range) }
                for i in range {
                    positions.removeAll(keepingCapacity: true)
                    positions.append(i)
                    extendSkipGram(terms, c, range: range, stamp: stamp)
                }
            }
        }
    }

    private func extendSkipGram(_ terms: [TermID], _ c: WorkerContext, range: Range<Int>, stamp: UInt32) {
        if positions.count == n {
            if c.hasStopwords {
                for p in positions where c.isStop[Int(terms[p])] { return }
            }
            var key = UInt64(terms[positions[0]]) << 32 | UInt64(terms[positions[1]])
            if n > 2 {
                for k in 2..<n {
                    let id = chain[k - 2].intern(key)
                    key = UInt64(id) << 32 | UInt64(terms[positions[k]])
                }
            }
            ngrams.add(key, doc: stamp)
            return
        }
        let last = positions[positions.count - 1]
        for gap in 0...skip {
            let next = last + 1 + gap
            if next >= range.upperBound { break }
            positions.append(next)
            extendSkipGram(terms, c, range: range, stamp: stamp)
            positions.removeLast()
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        if stats.skipMargins != nil, let from = skipMargins {
            for id in 0..<from.first.count {
                let g = Int(remap[id])
                stats.skipMargins!.first[g] &+= from.first[id]
                stats.skipMargins!.second[g] &+= from.second[id]
            }
            stats.skipMargins!.total &+= from.total
        }
        let n = self.n
        if n == 2 && stats.ngrams.count == 0 && isIdentity(remap) {
            // The first worker's ids are the global ones: its table becomes the merged one, uncopied.
            stats.ngrams = ngrams
            return
        }
        let chain = self.chain
        remap.withUnsafeBufferPointer { remap in
            stats.ngrams.merge(ngrams) { key in
                if n == 2 { return UInt64(remap[Int(key >> 32)]) << 32 | UInt64(remap[Int(key & 0xFFFF_FFFF)]) }
                // Longer n-grams: the chain of global keys is interned in the table order, as before.
                let local = unchainNgram(key, n: n, chain: chain)
                var gk = UInt64(remap[Int(local[0])]) << 32 | UInt64(remap[Int(local[1])])
                for k in 2..<n {
                    let id = stats.ngramChain[k - 2].intern(gk)
                    gk = UInt64(id) << 32 | UInt64(remap[Int(local[k])])
                }
                return gk
            }
        }
    }
}

/// The margins of the skip-bigram sample (`ngrams -n 2 --skip K`, K > 0): every ordered position pair
/// (i, j) of one sentence with 1 ≤ j − i ≤ K + 1. Per term, the pairs it starts (`first`) and ends
/// (`second`); and all pairs. Then O ≤ f1 and O ≤ f2, as for the window table.
struct SkipMargins {
    let skip: Int
    var first: [UInt64] = []
    var second: [UInt64] = []
    var total: UInt64 = 0

    init(skip: Int) { self.skip = skip }

    @inline(__always)
    mutating func add(_ terms: [TermID], _ range: Range<Int>) {
        for i in range {
            let after = min(skip + 1, range.upperBound - 1 - i), before = min(skip + 1, i - range.lowerBound)
            first[Int(terms[i])] &+= UInt64(after)
            second[Int(terms[i])] &+= UInt64(before)
            total &+= UInt64(after)
        }
    }

    mutating func grow(to n: Int) {
        if first.count < n {
            first.append(contentsOf: repeatElement(0, count: n - first.count))
            second.append(contentsOf: repeatElement(0, count: n - second.count))
        }
    }
}

/// The terms of an n-gram key: n = 2 keys are (a << 32 | b); longer ones are (prefix id << 32 | last
/// term), where the prefix id indexes the interner one level down.
func unchainNgram(_ key: UInt64, n: Int, chain: [KeyInterner]) -> [TermID] {
    var out = [TermID](repeating: 0, count: n)
    var k = key
    var pos = n - 1
    while pos >= 2 {
        out[pos] = TermID(truncatingIfNeeded: k)
        k = chain[pos - 2].values[Int(k >> 32)]
        pos -= 1
    }
    out[1] = TermID(truncatingIfNeeded: k)
    out[0] = TermID(truncatingIfNeeded: k >> 32)
    return out
}
