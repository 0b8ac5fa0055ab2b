import CorpusCore

/// Co-occurrence pairs (term1 < term2 by id here, by bytes in the output): within a window of w positions
/// of one sentence (with the ordered-pair margins of the window measures), or in the same sentence or
/// document (with the number of sentences or documents containing each term). Pairs holding a stopword
/// are not counted.
final class CoocCounter: WorkerAnalyzer {
    let scope: CoocScope
    var cooc = CountTable()
    /// Window scope: the ordered-pair margins (f1, f2, N of the window measures).
    var margins: WindowMargins? = nil
    var sentenceFreq: [UInt64] = []
    var sentenceCount: UInt64 = 0
    var distinct: [TermID] = []
    var seenStamp: [UInt32] = []
    var seenCounter: UInt32 = 0
    /// The document's window pairs, added to `cooc` in batches (the table prefetches ahead).
    private let pending = PendingKeys()

    init(scope: CoocScope) {
        self.scope = scope
        if case .window(let w) = scope { margins = WindowMargins(window: w) }
    }

    func grow(to n: Int) {
        if sentenceFreq.count < n {
            sentenceFreq.append(contentsOf: repeatElement(0, count: n - sentenceFreq.count))
            seenStamp.append(contentsOf: repeatElement(0, count: n - seenStamp.count))
        }
        margins?.grow(to: n)
    }

    func process(_ doc: Document, _ c: WorkerContext) {
        let terms = c.tokens.terms
        let stop = c.hasStopwords
        let isStop = c.isStop
        let stamp = c.stamp
        let table = cooc  // a local: no retain/release and no exclusivity check per pair
        switch scope {
        case .window(let w):
            let pending = self.pending
            defer { pending.flush(into: table, doc: stamp) }
            c.tokens.forEachSentence { range in
                margins!.add(terms, range)
                for i in range {
                    let a = terms[i]
                    if stop && isStop[Int(a)] { continue }
                    let end = min(range.upperBound, i + w + 1)
                    var j = i + 1
                    while j < end {
                        let b = terms[j]
                        j += 1
                        if a == b || (stop && isStop[Int(b)]) { continue }
                        let key = a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
                        pending.append(key, to: table, doc: stamp)
                    }
                }
            }
        case .sentence:
            c.tokens.forEachSentence { range in
                sentenceCount += 1
                collectDistinct(terms, range)
                for t in distinct { sentenceFreq[Int(t)] += 1 }
                addAllPairs(isStop: stop ? isStop : nil, stamp: stamp)
            }
        case .document:
            sentenceCount += 1
            if terms.isEmpty { return }
            collectDistinct(terms, 0..<terms.count)
            addAllPairs(isStop: stop ? isStop : nil, stamp: stamp)
        }
    }

    private func collectDistinct(_ terms: [TermID], _ range: Range<Int>) {
        seenCounter &+= 1
        if seenCounter == 0 {  // wrapped: reset stamps
            for i in seenStamp.indices { seenStamp[i] = 0 }
            seenCounter = 1
        }
        distinct.removeAll(keepingCapacity: true)
        for i in range {
            let t = terms[i]
            if seenStamp[Int(t)] != seenCounter {
                seenStamp[Int(t)] = seenCounter
                distinct.append(t)
            }
        }
        distinct.sort()
    }

    private func addAllPairs(isStop: [Bool]?, stamp: UInt32) {
        let n = distinct.count
        if n < 2 { return }
        for x in 0..<(n - 1) {
            let a = distinct[x]
            if let isStop, isStop[Int(a)] { continue }
            for y in (x + 1)..<n {
                let b = distinct[y]
                if let isStop, isStop[Int(b)] { continue }
                cooc.add(UInt64(a) << 32 | UInt64(b), doc: stamp)
            }
        }
    }

    func merge(into stats: CorpusStats, remap: [TermID]) {
        for id in 0..<min(remap.count, sentenceFreq.count) { stats.sentenceFreq[Int(remap[id])] += sentenceFreq[id] }
        stats.sentenceCount += sentenceCount
        WindowMargins.merge(&stats.coocMargins, margins, remap)
        if stats.cooc.count == 0 && isIdentity(remap) {
            // The first worker's ids are the global ones: its table becomes the merged one, uncopied.
            stats.cooc = cooc
            return
        }
        remap.withUnsafeBufferPointer { remap in
            stats.cooc.merge(cooc) { key in
                let a = remap[Int(key >> 32)], b = remap[Int(key & 0xFFFF_FFFF)]
                return a < b ? UInt64(a) << 32 | UInt64(b) : UInt64(b) << 32 | UInt64(a)
            }
        }
    }
}

/// The margins of the ordered-pair sample of a window w (docs "Association measures", window table):
/// per term, the number of ordered (node, neighbour) position pairs of one sentence at distance 1...w
/// whose node is that term; and the number of all such ordered pairs.
struct WindowMargins {
    let window: Int
    var margin: [UInt64] = []
    var total: UInt64 = 0

    init(window: Int) { self.window = window }

    /// Neighbours within the window of a span [a, b) in the sentence `range`.
    @inline(__always)
    func neighbours(_ a: Int, _ b: Int, in range: Range<Int>) -> Int {
        min(a - range.lowerBound, window) + min(range.upperBound - b, window)
    }

    @inline(__always)
    mutating func add(_ terms: [TermID], _ range: Range<Int>) {
        for i in range {
            let k = neighbours(i, i + 1, in: range)
            margin[Int(terms[i])] &+= UInt64(k)
            total &+= UInt64(k)
        }
    }

    mutating func grow(to n: Int) {
        if margin.count < n { margin.append(contentsOf: repeatElement(0, count: n - margin.count)) }
    }

    /// Adds a worker's margins, remapped to global ids.
    static func merge(_ into: inout WindowMargins?, _ from: WindowMargins?, _ remap: [TermID]) {
        guard into != nil, let from else { return }
        for id in 0..<from.margin.count { into!.margin[Int(remap[id])] &+= from.margin[id] }
        into!.total &+= from.total
    }
}
