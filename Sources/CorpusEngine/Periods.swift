/// Calendar periods for trends (SPEC.md "Periods"), all from the UTC date.
public enum Granularity: String, Sendable, CaseIterable {
    case day, week, month, quarter, year

    /// The period ordinal of a moment (seconds since the epoch, UTC): consecutive periods have
    /// consecutive ordinals.
    @inline(__always)
    public func ordinal(ofSeconds seconds: Int64) -> Int64 {
        let days = floorDiv(seconds, 86_400)
        return ordinal(ofDay: days)
    }

    public func ordinal(ofDay days: Int64) -> Int64 {
        switch self {
        case .day: return days
        case .week:
            // Monday-based weeks; 1970-01-01 was a Thursday, so Monday 1969-12-29 is day -3.
            return floorDiv(days + 3, 7)
        case .month:
            let (y, m, _) = civil(fromDays: days)
            return y * 12 + (m - 1)
        case .quarter:
            let (y, m, _) = civil(fromDays: days)
            return y * 4 + (m - 1) / 3
        case .year:
            return civil(fromDays: days).0
        }
    }

    /// The first day (days since the epoch) of the period with this ordinal.
    public func startDay(ofOrdinal o: Int64) -> Int64 {
        switch self {
        case .day: return o
        case .week: return o * 7 - 3
        case .month: return daysFromCivil(floorDiv(o, 12), floorMod(o, 12) + 1, 1)
        case .quarter: return daysFromCivil(floorDiv(o, 4), floorMod(o, 4) * 3 + 1, 1)
        case .year: return daysFromCivil(o, 1, 1)
        }
    }

    /// The label: `YYYY-MM-DD`, ISO week `YYYY-Www`, `YYYY-MM`, `YYYY-Qn`, `YYYY`.
    public func label(ofOrdinal o: Int64) -> String {
        switch self {
        case .day:
            return isoDate(days: o)
        case .week:
            // The ISO year is the year of the week's Thursday.
            let thursday = o * 7
            let (y, _, _) = civil(fromDays: thursday)
            let jan1 = daysFromCivil(y, 1, 1)
            let week = (thursday - jan1) / 7 + 1
            return "\(pad(y, 4))-W\(pad(week, 2))"
        case .month:
            return "\(pad(floorDiv(o, 12), 4))-\(pad(floorMod(o, 12) + 1, 2))"
        case .quarter:
            return "\(pad(floorDiv(o, 4), 4))-Q\(floorMod(o, 4) + 1)"
        case .year:
            return pad(o, 4)
        }
    }

    /// Parses a label back to its ordinal (for `--period`), nil when it is not this granularity's form.
    public func ordinal(ofLabel s: String) -> Int64? {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        switch self {
        case .day:
            guard parts.count == 3, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
                  (1...12).contains(m), (1...31).contains(d) else { return nil }
            return daysFromCivil(y, m, d)
        case .week:
            guard parts.count == 2, parts[1].hasPrefix("W"), let y = Int64(parts[0]), let w = Int64(parts[1].dropFirst()),
                  (1...53).contains(w) else { return nil }
            // Week 1 is the week with the year's first Thursday (the week containing Jan 4).
            let week1 = Granularity.week.ordinal(ofDay: daysFromCivil(y, 1, 4))
            return week1 + w - 1
        case .month:
            guard parts.count == 2, let y = Int64(parts[0]), let m = Int64(parts[1]), (1...12).contains(m) else { return nil }
            return y * 12 + m - 1
        case .quarter:
            guard parts.count == 2, parts[1].hasPrefix("Q"), let y = Int64(parts[0]), let q = Int64(parts[1].dropFirst()),
                  (1...4).contains(q) else { return nil }
            return y * 4 + q - 1
        case .year:
            guard parts.count == 1, let y = Int64(parts[0]) else { return nil }
            return y
        }
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { (a >= 0 ? a : a - b + 1) / b }
@inline(__always) func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

/// (year, month 1–12, day 1–31) of a day number (days since 1970-01-01). Howard Hinnant's algorithm.
public func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
    let z = z0 + 719_468
    let era = floorDiv(z, 146_097)
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
}

/// Days since 1970-01-01 of a civil date.
public func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
    let y = m <= 2 ? y0 - 1 : y0
    let era = floorDiv(y, 400)
    let yoe = y - era * 400
    let mp = m > 2 ? m - 3 : m + 9
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of a day number.
public func isoDate(days: Int64) -> String {
    let (y, m, d) = civil(fromDays: days)
    return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
}

/// `YYYY-MM-DD` of a moment in seconds since the epoch (UTC).
public func isoDate(seconds: Int64) -> String { isoDate(days: floorDiv(seconds, 86_400)) }

/// `YYYY-MM-DDTHH:MM:SSZ` of a moment in seconds since the epoch.
public func isoDateTime(seconds: Int64) -> String {
    let days = floorDiv(seconds, 86_400)
    let rem = seconds - days * 86_400
    return "\(isoDate(days: days))T\(pad(rem / 3600, 2)):\(pad(rem / 60 % 60, 2)):\(pad(rem % 60, 2))Z"
}

func pad(_ v: Int64, _ width: Int) -> String {
    let s = String(abs(v))
    let body = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    return v < 0 ? "-" + body : body
}
