#if canImport(Glibc)
import Glibc
#endif

/// Association measures of a pair (SPEC.md "Association measures").
public struct AssociationMeasures: Sendable, Equatable {
    public var pmi: Double
    public var npmi: Double
    public var tScore: Double
    public var g2: Double
    public var chi2: Double
    public var dice: Double
    public var logDice: Double

    public static let columnNames = ["pmi", "npmi", "t_score", "g2", "chi2", "dice", "log_dice"]
    public var values: [Double] { [pmi, npmi, tScore, g2, chi2, dice, logDice] }

    /// O = the pair's count, f1 and f2 = the two terms' counts, N = total.
    public init(o: Double, f1: Double, f2: Double, n: Double) {
        let e = f1 * f2 / n
        pmi = log2(o * n / (f1 * f2))
        let h = -log2(o / n)
        npmi = h == 0 ? 1 : pmi / h
        tScore = (o - e) / o.squareRoot()
        let o11 = o, o12 = f1 - o, o21 = f2 - o, o22 = n - o11 - o12 - o21
        let e11 = f1 * f2 / n, e12 = f1 * (n - f2) / n, e21 = (n - f1) * f2 / n, e22 = (n - f1) * (n - f2) / n
        g2 = 2 * (cellG(o11, e11) + cellG(o12, e12) + cellG(o21, e21) + cellG(o22, e22))
        chi2 = cellChi(o11, e11) + cellChi(o12, e12) + cellChi(o21, e21) + cellChi(o22, e22)
        dice = 2 * o / (f1 + f2)
        logDice = 14 + log2(dice)
    }

    public func value(_ name: MeasureName) -> Double {
        switch name {
        case .pmi: pmi
        case .npmi: npmi
        case .tScore: tScore
        case .g2: g2
        case .chi2: chi2
        case .dice: dice
        case .logDice: logDice
        }
    }
}

@inline(__always) func cellG(_ o: Double, _ e: Double) -> Double { o > 0 && e > 0 ? o * log(o / e) : 0 }
@inline(__always) func cellChi(_ o: Double, _ e: Double) -> Double { e > 0 ? (o - e) * (o - e) / e : 0 }

public enum MeasureName: String, Sendable, CaseIterable {
    case pmi, npmi
    case tScore = "t_score"
    case g2, chi2, dice
    case logDice = "log_dice"
}

/// Comparing a term's frequency in a target against a reference (rising, keyness).
public enum TwoCorpus {
    /// Signed log-likelihood over the 2×2 table (a, b, nt − a, nb − b): negative when the term is
    /// relatively less frequent in the target.
    public static func g2(a: Double, b: Double, nt: Double, nb: Double) -> Double {
        let n = nt + nb
        let row1 = a + b, row2 = n - row1
        let e11 = row1 * nt / n, e12 = row1 * nb / n, e21 = row2 * nt / n, e22 = row2 * nb / n
        let g = 2 * (cellG(a, e11) + cellG(b, e12) + cellG(nt - a, e21) + cellG(nb - b, e22))
        let sign: Double = (a * nb < b * nt) ? -1 : 1
        return sign * g
    }

    /// log2 of the ratio of relative frequencies, zero counts replaced by 0.5.
    public static func logRatio(a: Double, b: Double, nt: Double, nb: Double) -> Double {
        let aa = a == 0 ? 0.5 : a
        let bb = b == 0 ? 0.5 : b
        return log2((aa / nt) / (bb / nb))
    }
}
