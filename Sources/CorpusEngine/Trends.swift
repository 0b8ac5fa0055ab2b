#if canImport(Glibc)
import Glibc
#endif

/// A term whose series is asked for: a single token, or a phrase counted as an n-gram in a sentence.
public struct SeriesTerm: Sendable {
    public var label: String
    /// Index into `AnalysisPlan.periodPhrases` (multi-word) or nil.
    public var phraseIndex: Int?
    /// The single token's global id (nil when absent from the corpus or multi-word).
    public var id: TermID?
    public init(label: String, phraseIndex: Int?, id: TermID?) {
        self.label = label
        self.phraseIndex = phraseIndex
        self.id = id
    }
}

/// Period series derived from the merged per-period tables.
extension CorpusStats {
    /// Ordinals of every period from the first to the last dated document (calendar-contiguous).
    public var periodRange: ClosedRange<Int64>? {
        guard let lo = periodTotals.keys.min(), let hi = periodTotals.keys.max() else { return nil }
        return lo...hi
    }

    public func periodTokens(_ p: Int64) -> UInt64 { periodTotals[p]?.tokens ?? 0 }
    public func periodDocs(_ p: Int64) -> UInt64 { periodTotals[p]?.docs ?? 0 }

    /// (count, docs) of a series term in a period.
    public func seriesCount(_ t: SeriesTerm, period p: Int64) -> (count: UInt64, docs: UInt32) {
        if let pi = t.phraseIndex {
            return phraseCounts.get(GroupedCounts.key(p, UInt32(pi))) ?? (0, 0)
        }
        guard let id = t.id else { return (0, 0) }
        return periodCount(period: p, term: id)
    }
}

/// Centred moving average over `k` values (k odd: the value and (k − 1)/2 on each side; k = 1 gives the
/// values back), truncated at the series' ends: each value is the mean of the values available in its window.
public func centredMovingAverage(_ values: [Double], k: Int) -> [Double] {
    precondition(k >= 1 && k % 2 == 1, "the moving-average window must be odd")
    let h = (k - 1) / 2
    var out = [Double](repeating: 0, count: values.count)
    for i in values.indices {
        let a = max(0, i - h), b = min(values.count - 1, i + h)
        var s = 0.0
        for j in a...b { s += values[j] }
        out[i] = s / Double(b - a + 1)
    }
    return out
}

/// The centred moving average over periods some of which have no documents (nil): each window averages
/// the values of the periods in it that have documents; a period without documents has no value (nil).
public func centredMovingAverage(_ values: [Double?], k: Int) -> [Double?] {
    precondition(k >= 1 && k % 2 == 1, "the moving-average window must be odd")
    let h = (k - 1) / 2
    var out = [Double?](repeating: nil, count: values.count)
    for i in values.indices where values[i] != nil {
        let a = max(0, i - h), b = min(values.count - 1, i + h)
        var s = 0.0
        var n = 0
        for j in a...b { if let v = values[j] { s += v; n += 1 } }
        out[i] = s / Double(n)
    }
    return out
}

/// One burst of a term: periods [start, end] (ordinals) and its weight.
public struct Burst: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var weight: Double
    public init(start: Int64, end: Int64, weight: Double) {
        self.start = start
        self.end = end
        self.weight = weight
    }
}

/// Kleinberg's two-state burst detection over document counts (the batched, "enumerating bursts"
/// form): r[t] documents with the term among d[t] documents in period t. Callers pass the periods that
/// have documents only (`bursts` does): a period with d = 0 costs nothing in either state, so it would let
/// a burst run through a stretch without evidence.
/// p0 = Σr / Σd, p1 = min(s · p0, 0.9999); state cost −ln(C(d, r) p^r (1 − p)^(d − r)); moving up
/// from state 0 to 1 costs γ · ln(T), moving down is free; the optimal state sequence (Viterbi,
/// starting in state 0) gives the bursts as maximal runs of state 1, each weighted by Σ (cost₀ − cost₁).
public func kleinbergBursts(r: [Double], d: [Double], s: Double = 2, gamma: Double = 1) -> [Burst] {
    let t = r.count
    guard t > 0, t == d.count else { return [] }
    let rs = r.reduce(0, +), ds = d.reduce(0, +)
    guard rs > 0, ds > 0 else { return [] }
    let p0 = min(rs / ds, 0.9999)
    let p1 = min(s * p0, 0.9999)
    guard p1 > p0 else { return [] }
    func cost(_ p: Double, _ i: Int) -> Double {
        let rr = r[i], dd = d[i]
        if dd == 0 { return 0 }
        let logBinom = lgamma(dd + 1) - lgamma(rr + 1) - lgamma(dd - rr + 1)
        return -(logBinom + rr * log(p) + (dd - rr) * log(1 - p))
    }
    let up = gamma * log(Double(t))
    var c0 = [Double](repeating: 0, count: t), c1 = c0
    for i in 0..<t { c0[i] = cost(p0, i); c1[i] = cost(p1, i) }
    // Viterbi: best[i][state], back pointers.
    var best0 = c0[0], best1 = up + c1[0]
    var back0 = [UInt8](repeating: 0, count: t), back1 = back0
    back1[0] = 0
    for i in 1..<t {
        let from0to0 = best0, from1to0 = best1
        let n0: Double
        if from0to0 <= from1to0 { n0 = from0to0; back0[i] = 0 } else { n0 = from1to0; back0[i] = 1 }
        let from0to1 = best0 + up, from1to1 = best1
        let n1: Double
        if from1to1 <= from0to1 { n1 = from1to1; back1[i] = 1 } else { n1 = from0to1; back1[i] = 0 }
        best0 = n0 + c0[i]
        best1 = n1 + c1[i]
    }
    var states = [UInt8](repeating: 0, count: t)
    var state: UInt8 = best0 <= best1 ? 0 : 1
    for i in stride(from: t - 1, through: 0, by: -1) {
        states[i] = state
        state = state == 0 ? back0[i] : back1[i]
    }
    var bursts: [Burst] = []
    var i = 0
    while i < t {
        if states[i] == 1 {
            var j = i
            var w = 0.0
            while j < t && states[j] == 1 { w += c0[j] - c1[j]; j += 1 }
            bursts.append(Burst(start: Int64(i), end: Int64(j - 1), weight: w))
            i = j
        } else {
            i += 1
        }
    }
    return bursts
}
