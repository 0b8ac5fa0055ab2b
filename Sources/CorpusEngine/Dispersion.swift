import CorpusCore

#if canImport(Glibc)
import Glibc
#endif

/// How a corpus is cut into parts for dispersion.
public enum DispersionParts: Sendable, Equatable {
    /// Each document (with at least one token) is a part; its size is its tokens.
    case documents
    /// N consecutive slices of equal size over the documents in input order: part i holds the token
    /// positions p (0-based over the whole corpus, N tokens) with i·N ≤ p·n < (i+1)·N.
    case slices(Int)
}

/// One row of the `dispersion` table (docs/definitions.md, "Dispersion").
public struct DispersionRow: Sendable {
    public var label: String
    public var count: UInt64
    public var docs: UInt64
    /// Share of parts containing the term.
    public var range: Double
    public var juillandD: Double?
    public var carrollD2: Double?
    public var griesDP: Double?
    public var dpNorm: Double?
    public var arf: Double?
}

/// The dispersion measures of one term from its count in each part and the parts' sizes (tokens), plus
/// the term's positions in the whole corpus (for ARF). Pure function: the oracle-tested core.
public enum DispersionMeasures {
    /// `counts[i]` occurrences in part i of `sizes[i]` tokens (every size > 0); `positions` ascending in
    /// 0..<total; `total` = Σ sizes.
    public static func row(label: String, counts: [UInt64], sizes: [UInt64], positions: [UInt64], total: UInt64, docs: UInt64) -> DispersionRow {
        let n = counts.count
        let f = counts.reduce(0, +)
        var row = DispersionRow(label: label, count: f, docs: docs, range: 0)
        guard n > 0, total > 0 else { return row }
        row.range = Double(counts.filter { $0 > 0 }.count) / Double(n)
        guard f > 0 else { return row }
        let ft = Double(f), nt = Double(total)
        // Gries's DP (2008): half the sum of |observed share − expected share| over the parts.
        var dp = 0.0
        var minS = 1.0
        for i in 0..<n {
            let s = Double(sizes[i]) / nt
            dp += abs(Double(counts[i]) / ft - s)
            minS = min(minS, s)
        }
        dp *= 0.5
        row.griesDP = dp
        // Lijffijt & Gries (2012): DP over its maximum for these part sizes, 1 − min(s).
        row.dpNorm = minS < 1 ? dp / (1 - minS) : nil
        if n > 1 {
            // Relative frequencies per part.
            var x = [Double](repeating: 0, count: n)
            var sum = 0.0
            for i in 0..<n {
                x[i] = Double(counts[i]) / Double(sizes[i])
                sum += x[i]
            }
            let mean = sum / Double(n)
            var sq = 0.0
            for v in x { sq += (v - mean) * (v - mean) }
            let sd = (sq / Double(n)).squareRoot()  // population standard deviation
            // Juilland's D (1964): 1 − CV / √(n − 1).
            row.juillandD = 1 - (sd / mean) / Double(n - 1).squareRoot()
            // Carroll's D2 (1970): the entropy of the relative frequencies' shares over log2 n.
            var h = 0.0
            for v in x where v > 0 {
                let p = v / sum
                h -= p * log2(p)
            }
            row.carrollD2 = h / log2(Double(n))
        }
        // ARF (Savický & Hlaváčová 2002): v = N / f; distances between consecutive occurrences, the last
        // wrapping round to the first; ARF = Σ min(d, v) / v.
        if !positions.isEmpty {
            let v = nt / ft
            var s = 0.0
            for k in 0..<positions.count {
                let d = k + 1 < positions.count ? positions[k + 1] - positions[k] : positions[0] + total - positions[k]
                s += min(Double(d), v)
            }
            row.arf = s / v
        }
        return row
    }
}

extension CorpusStats {
    /// Dispersion of the plan's `positionsOf` terms over `parts`, rows in the terms' order.
    public func dispersionRows(parts: DispersionParts) -> [DispersionRow] {
        let labels = plan.positionsOf ?? []
        // Documents in input order.
        let order = Self.inputOrder(termPositions.map(\.ordinals))
        var total: UInt64 = 0
        var docStart: [UInt64] = []
        docStart.reserveCapacity(order.count)
        for o in order {
            docStart.append(total)
            total += termPositions[o.chunk].sizes[o.k]
        }
        // Positions (global) and per-document counts of each term.
        var positions = [[UInt64]](repeating: [], count: labels.count)
        var docCounts = [[UInt64]](repeating: [], count: labels.count)  // per term, aligned with `order` when parts = documents
        var docs = [UInt64](repeating: 0, count: labels.count)
        var inDoc = [UInt64](repeating: 0, count: labels.count)
        for (d, o) in order.enumerated() {
            let chunk = termPositions[o.chunk]
            for e in chunk.entries(o.k) {
                let j = Int(chunk.which[e])
                positions[j].append(docStart[d] + UInt64(chunk.positions[e]))
                inDoc[j] += 1
            }
            for j in labels.indices {
                if inDoc[j] > 0 { docs[j] += 1 }
                if case .documents = parts, chunk.sizes[o.k] > 0 { docCounts[j].append(inDoc[j]) }
                inDoc[j] = 0
            }
        }
        var sizes: [UInt64] = []
        switch parts {
        case .documents:
            for o in order where termPositions[o.chunk].sizes[o.k] > 0 { sizes.append(termPositions[o.chunk].sizes[o.k]) }
        case .slices(let n):
            sizes = (0..<n).map { i in Self.sliceStart(i + 1, n, total) - Self.sliceStart(i, n, total) }
        }
        return labels.indices.map { j in
            var counts: [UInt64]
            switch parts {
            case .documents:
                counts = docCounts[j]
            case .slices(let n):
                counts = [UInt64](repeating: 0, count: n)
                for p in positions[j] { counts[Int((p &* UInt64(n)) / total)] += 1 }
            }
            // Parts without tokens (more slices than tokens) are not parts.
            var keptCounts: [UInt64] = [], keptSizes: [UInt64] = []
            for i in counts.indices where sizes[i] > 0 {
                keptCounts.append(counts[i])
                keptSizes.append(sizes[i])
            }
            return DispersionMeasures.row(label: labels[j], counts: keptCounts, sizes: keptSizes, positions: positions[j], total: total, docs: docs[j])
        }
    }

    /// The first position of slice i of n over `total` tokens: ⌈i·total / n⌉.
    static func sliceStart(_ i: Int, _ n: Int, _ total: UInt64) -> UInt64 {
        let num = UInt64(i) * total
        return (num + UInt64(n) - 1) / UInt64(n)
    }
}
