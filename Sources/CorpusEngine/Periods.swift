import CorpusCore

/// Calendar periods for trends (SPEC.md "Periods"), all from the UTC date; calendar arithmetic is
/// CorpusCore's `CivilDate`.
public enum Granularity: String, Sendable, CaseIterable {
    case day, week, month, quarter, year

    /// The period ordinal of a moment (seconds since the epoch, UTC): consecutive periods have
    /// consecutive ordinals.
    @inline(__always)
    public func ordinal(ofSeconds seconds: Int64) -> Int64 {
        ordinal(ofDay: CivilDate.day(ofSeconds: seconds))
    }

    public func ordinal(ofDay days: Int64) -> Int64 {
        switch self {
        case .day: return days
        case .week:
            // Monday-based weeks; 1970-01-01 was a Thursday, so Monday 1969-12-29 is day -3.
            return CivilDate.floorDiv(days + 3, 7)
        case .month:
            let c = CivilDate.civil(days: days)
            return Int64(c.year) * 12 + Int64(c.month - 1)
        case .quarter:
            let c = CivilDate.civil(days: days)
            return Int64(c.year) * 4 + Int64((c.month - 1) / 3)
        case .year:
            return Int64(CivilDate.civil(days: days).year)
        }
    }

    /// The first day (days since the epoch) of the period with this ordinal.
    public func startDay(ofOrdinal o: Int64) -> Int64 {
        switch self {
        case .day: return o
        case .week: return o * 7 - 3
        case .month: return CivilDate.days(year: Int(CivilDate.floorDiv(o, 12)), month: Int(CivilDate.floorMod(o, 12)) + 1, day: 1)
        case .quarter: return CivilDate.days(year: Int(CivilDate.floorDiv(o, 4)), month: Int(CivilDate.floorMod(o, 4)) * 3 + 1, day: 1)
        case .year: return CivilDate.days(year: Int(o), month: 1, day: 1)
        }
    }

    /// The label: `YYYY-MM-DD`, ISO week `YYYY-Www`, `YYYY-MM`, `YYYY-Qn`, `YYYY`.
    public func label(ofOrdinal o: Int64) -> String {
        switch self {
        case .day:
            return CivilDate.isoDate(days: o)
        case .week:
            let (y, w) = CivilDate.isoWeek(days: startDay(ofOrdinal: o))
            return CivilDate.year4(y) + "-W" + (w < 10 ? "0\(w)" : "\(w)")
        case .month:
            let m = Int(CivilDate.floorMod(o, 12)) + 1
            return CivilDate.year4(Int(CivilDate.floorDiv(o, 12))) + "-" + (m < 10 ? "0\(m)" : "\(m)")
        case .quarter:
            return CivilDate.year4(Int(CivilDate.floorDiv(o, 4))) + "-Q\(CivilDate.floorMod(o, 4) + 1)"
        case .year:
            return CivilDate.year4(Int(o))
        }
    }

    /// An example label (for messages).
    public var exampleLabel: String {
        switch self {
        case .day: return "1987-10-19"
        case .week: return "1987-W43"
        case .month: return "1987-10"
        case .quarter: return "1987-Q4"
        case .year: return "1987"
        }
    }

    /// The result of reading a label: its ordinal, or why it is not one.
    public enum LabelParse: Equatable, Sendable {
        case ordinal(Int64)
        /// Not this granularity's form at all.
        case malformed
        /// The right form, but the period does not exist (`1993-04-31`, `2021-W53`) or its year is outside
        /// 1000–9999; the text says why.
        case impossible(String)
    }

    /// Reads a label of this granularity: exactly `YYYY-MM-DD`, `YYYY-Www`, `YYYY-MM`, `YYYY-Qn` or `YYYY`
    /// (four-digit year 1000–9999), naming a period that exists.
    public func parseLabel(_ s: String) -> LabelParse {
        let b = Array(s.utf8)
        guard b.count >= 4, let y = CivilDate.digits(b, 0, 4) else { return .malformed }
        let shapeOK: Bool
        switch self {
        case .day: shapeOK = b.count == 10 && b[4] == 45 && b[7] == 45 && CivilDate.digits(b, 5, 2) != nil && CivilDate.digits(b, 8, 2) != nil
        case .week: shapeOK = b.count == 8 && b[4] == 45 && b[5] == 87 && CivilDate.digits(b, 6, 2) != nil
        case .month: shapeOK = b.count == 7 && b[4] == 45 && CivilDate.digits(b, 5, 2) != nil
        case .quarter: shapeOK = b.count == 7 && b[4] == 45 && b[5] == 81 && CivilDate.digits(b, 6, 1) != nil
        case .year: shapeOK = b.count == 4
        }
        guard shapeOK else { return .malformed }
        guard CivilDate.isSupported(year: y) else {
            return .impossible("the year \(CivilDate.year4(y)) is outside 1000–9999")
        }
        switch self {
        case .day:
            let m = CivilDate.digits(b, 5, 2)!, d = CivilDate.digits(b, 8, 2)!
            guard (1...12).contains(m) else { return .impossible("there is no month \(CivilDate.pad2(m))") }
            guard CivilDate.isValid(year: y, month: m, day: d) else {
                return .impossible("\(CivilDate.monthName(year: y, month: m)) has \(CivilDate.daysInMonth(year: y, month: m)) days")
            }
            return .ordinal(CivilDate.days(year: y, month: m, day: d))
        case .week:
            let w = CivilDate.digits(b, 6, 2)!
            let n = CivilDate.isoWeeksInYear(y)
            guard w >= 1 && w <= n else { return .impossible("\(CivilDate.year4(y)) has ISO weeks W01–W\(n)") }
            return .ordinal(Granularity.week.ordinal(ofDay: CivilDate.isoWeekOneMonday(isoYear: y)) + Int64(w - 1))
        case .month:
            let m = CivilDate.digits(b, 5, 2)!
            guard (1...12).contains(m) else { return .impossible("there is no month \(CivilDate.pad2(m))") }
            return .ordinal(Int64(y) * 12 + Int64(m - 1))
        case .quarter:
            let q = CivilDate.digits(b, 6, 1)!
            guard (1...4).contains(q) else { return .impossible("quarters are Q1–Q4") }
            return .ordinal(Int64(y) * 4 + Int64(q - 1))
        case .year:
            return .ordinal(Int64(y))
        }
    }

    /// Parses a label back to its ordinal (see `parseLabel`); nil when it is not a valid label.
    public func ordinal(ofLabel s: String) -> Int64? {
        if case .ordinal(let o) = parseLabel(s) { return o }
        return nil
    }
}

/// Floor division (for day numbers of moments before 1970); CivilDate's.
@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { CivilDate.floorDiv(a, b) }
