/// The one civil-calendar implementation of CorpusKit (proleptic Gregorian calendar, UTC): readers
/// (document dates, file-name dates), periods (trends), date ranges (`--target-dates`, `--period`) and
/// sinks (`date` columns) all use it, so a day that does not exist is rejected the same way everywhere.
///
/// Day numbers are days since 1970-01-01; moments are seconds since 1970-01-01T00:00:00Z. The arithmetic is
/// exact for any Int64 day number that maps to a year representable as Int; the years CorpusKit accepts as
/// document dates are `minYear...maxYear` (SPEC.md "Documents": other years are bad dates).
public enum CivilDate {
    /// The first and last year a document date may have (a four-digit year).
    public static let minYear = 1000
    public static let maxYear = 9999
    public static let secondsPerDay: Int64 = 86_400

    /// First and last second of the accepted years: 1000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    public static let minSeconds: Int64 = days(year: minYear, month: 1, day: 1) * secondsPerDay
    public static let maxSeconds: Int64 = days(year: maxYear + 1, month: 1, day: 1) * secondsPerDay - 1

    // MARK: Validity

    public static func isLeapYear(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// Days in a month (28–31); 0 when `month` is not 1–12.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        case 1, 3, 5, 7, 8, 10, 12: return 31
        default: return 0
        }
    }

    /// True when the date names a day that exists (any year; month 1–12; day 1 to the month's length).
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// True for the years a document date may have (1000–9999).
    public static func isSupported(year: Int) -> Bool { year >= minYear && year <= maxYear }

    /// True when a moment falls within the accepted years (UTC).
    public static func isSupported(seconds: Int64) -> Bool { seconds >= minSeconds && seconds <= maxSeconds }

    // MARK: Day numbers (H. Hinnant's days_from_civil / civil_from_days)

    /// Days since 1970-01-01 of a date. `month` must be 1–12; `day` is taken as is (day 0 is the last day
    /// of the month before), so check `isValid` first when the date comes from input.
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        precondition(month >= 1 && month <= 12, "month \(month) out of 1...12")
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = floorDiv(y, 400)
        let yoe = y - era * 400  // 0...399
        let mp = Int64(month > 2 ? month - 3 : month + 9)  // March = 0
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy  // 0...146096
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number.
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = floorDiv(z, 146_097)
        let doe = z - era * 146_097  // 0...146096
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365  // 0...399
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // 0...365
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// The day number of a moment (UTC).
    @inline(__always)
    public static func day(ofSeconds s: Int64) -> Int64 { floorDiv(s, secondsPerDay) }

    @inline(__always)
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inline(__always)
    public static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }

    // MARK: ISO weeks (Monday-based; week 1 holds the year's first Thursday)

    /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public static func isoWeekday(days: Int64) -> Int { Int(floorMod(days + 3, 7)) + 1 }

    /// The Monday of the week holding `days`.
    public static func mondayOfWeek(days: Int64) -> Int64 { days - Int64(isoWeekday(days: days) - 1) }

    /// The Monday of ISO week 1 of an ISO year (the week holding January 4).
    public static func isoWeekOneMonday(isoYear y: Int) -> Int64 { mondayOfWeek(days: days(year: y, month: 1, day: 4)) }

    /// 52 or 53.
    public static func isoWeeksInYear(_ y: Int) -> Int {
        Int((isoWeekOneMonday(isoYear: y + 1) - isoWeekOneMonday(isoYear: y)) / 7)
    }

    /// (ISO year, ISO week 1–53) of a day: the ISO year is the year of the week's Thursday.
    public static func isoWeek(days: Int64) -> (year: Int, week: Int) {
        let thursday = mondayOfWeek(days: days) + 3
        let y = civil(days: thursday).year
        return (y, Int((thursday - self.days(year: y, month: 1, day: 1)) / 7) + 1)
    }

    // MARK: Text

    /// `YYYY-MM-DD` of a day number (years below 1000 zero-padded to four digits, negative ones signed).
    public static func isoDate(days: Int64) -> String {
        let (y, m, d) = civil(days: days)
        return year4(y) + "-" + pad2(m) + "-" + pad2(d)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of a moment.
    public static func isoDateTime(seconds: Int64) -> String {
        let dn = day(ofSeconds: seconds)
        let rem = Int(seconds - dn * secondsPerDay)
        return isoDate(days: dn) + "T" + pad2(rem / 3600) + ":" + pad2(rem / 60 % 60) + ":" + pad2(rem % 60) + "Z"
    }

    /// A year as at least four digits (`0987`, `-0044`).
    public static func year4(_ y: Int) -> String {
        if y < 0 { return "-" + year4(-y) }
        let s = String(y)
        return s.utf8.count >= 4 ? s : String(repeating: "0", count: 4 - s.utf8.count) + s
    }

    public static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// Exactly `YYYY-MM-DD` naming a day that exists → its day number; nil otherwise (any year 0000–9999).
    public static func parseDay<C: Collection>(_ s: C) -> Int64? where C.Element == UInt8 {
        guard s.count == 10 else { return nil }
        let b = Array(s)
        guard b[4] == 45, b[7] == 45, let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              isValid(year: y, month: m, day: d) else { return nil }
        return days(year: y, month: m, day: d)
    }

    /// The value of `n` ASCII digits at `b[from...]`; nil when any is not a digit or they run past the end.
    public static func digits(_ b: [UInt8], _ from: Int, _ n: Int) -> Int? {
        guard from >= 0, n > 0, from + n <= b.count else { return nil }
        var v = 0
        for k in from..<(from + n) {
            guard b[k] >= 48 && b[k] <= 57 else { return nil }
            v = v * 10 + Int(b[k] - 48)
        }
        return v
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// `April 1993` (for messages); `month` must be 1–12.
    public static func monthName(year: Int, month: Int) -> String { "\(monthNames[month - 1]) \(year4(year))" }
}

/// `YYYY-MM-DD` of a moment (UTC).
public func isoDate(seconds: Int64) -> String { CivilDate.isoDate(days: CivilDate.day(ofSeconds: seconds)) }

/// `YYYY-MM-DDTHH:MM:SSZ` of a moment.
public func isoDateTime(seconds: Int64) -> String { CivilDate.isoDateTime(seconds: seconds) }
