import CorpusCore
import Testing

/// CivilDate: the one calendar implementation. Expected day numbers from Python's `datetime.date.toordinal()
/// - 719163`; the round trip is checked against a day-by-day counter written independently here.
@Suite("Civil dates")
struct CivilDateTests {
    @Test("which days exist", arguments: [
        // (year, month, day, exists)
        (1993, 2, 29, false), (1996, 2, 29, true), (1900, 2, 29, false), (2000, 2, 29, true),
        (2100, 2, 29, false), (2400, 2, 29, true), (1993, 2, 28, true), (1993, 2, 30, false),
        (1993, 4, 31, false), (1993, 4, 30, true), (1993, 6, 31, false), (1993, 9, 31, false),
        (1993, 11, 31, false), (1993, 1, 31, true), (1993, 12, 31, true), (1993, 7, 31, true),
        (1993, 8, 31, true), (1993, 1, 0, false), (1993, 0, 10, false), (1993, 13, 1, false),
        (1993, 1, 32, false), (1000, 1, 1, true), (9999, 12, 31, true),
    ])
    func validity(_ y: Int, _ m: Int, _ d: Int, _ exists: Bool) {
        #expect(CivilDate.isValid(year: y, month: m, day: d) == exists, "\(y)-\(m)-\(d)")
    }

    @Test("day numbers", arguments: [
        (1970, 1, 1, Int64(0)), (1969, 12, 31, -1), (2000, 3, 1, 11_017), (1996, 2, 29, 9_555),
        (1987, 10, 19, 6_500), (1789, 4, 30, -65_989), (1000, 1, 1, -354_285), (9999, 12, 31, 2_932_896),
        (1600, 2, 29, -135_081), (2400, 2, 29, 157_113),
    ])
    func dayNumbers(_ y: Int, _ m: Int, _ d: Int, _ n: Int64) {
        #expect(CivilDate.days(year: y, month: m, day: d) == n)
        let c = CivilDate.civil(days: n)
        #expect(c.year == y && c.month == m && c.day == d)
    }

    @Test("years 1000–9999 are supported, others not", arguments: [
        (Int64(-30_610_224_000), true),  // 1000-01-01T00:00:00Z
        (-30_610_224_001, false),  // 0999-12-31T23:59:59Z
        (253_402_300_799, true),  // 9999-12-31T23:59:59Z
        (253_402_300_800, false),  // 10000-01-01
        (0, true), (1_000_000_000_000, false), (-1_000_000_000_000, false),
    ])
    func supported(_ seconds: Int64, _ ok: Bool) {
        #expect(CivilDate.isSupported(seconds: seconds) == ok, "\(seconds)")
    }

    /// Walks every day from 1970-01-01 forward to 9999-12-31 and backward to 1000-01-01 with a calendar
    /// counter of its own and compares both directions of the conversion on each day.
    @Test("round trip over every day of 1000–9999 against a brute-force counter")
    func bruteForce() {
        func monthLength(_ y: Int, _ m: Int) -> Int {
            if m == 2 { return y % 400 == 0 ? 29 : y % 100 == 0 ? 28 : y % 4 == 0 ? 29 : 28 }
            return [4, 6, 9, 11].contains(m) ? 30 : 31
        }
        var mismatches: [String] = []
        func check(_ n: Int64, _ y: Int, _ m: Int, _ d: Int) {
            guard mismatches.count < 5 else { return }
            if CivilDate.days(year: y, month: m, day: d) != n { mismatches.append("days(\(y)-\(m)-\(d)) != \(n)") }
            let c = CivilDate.civil(days: n)
            if c.year != y || c.month != m || c.day != d { mismatches.append("civil(\(n)) = \(c) != \(y)-\(m)-\(d)") }
        }
        var (y, m, d, n) = (1970, 1, 1, Int64(0))
        var forward = 0
        while y <= 9999 {
            check(n, y, m, d)
            forward += 1
            n += 1; d += 1
            if d > monthLength(y, m) { d = 1; m += 1; if m > 12 { m = 1; y += 1 } }
        }
        (y, m, d, n) = (1970, 1, 1, 0)
        var backward = 0
        while y >= 1000 {
            check(n, y, m, d)
            backward += 1
            n -= 1; d -= 1
            if d < 1 { m -= 1; if m < 1 { m = 12; y -= 1 }; d = monthLength(y, m) }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(forward == 2_932_897 && backward == 354_286)
    }

    @Test("ISO weeks", arguments: [
        // (date, ISO year, week, Monday of that week)
        ("2021-01-03", 2020, 53, "2020-12-28"), ("2021-01-04", 2021, 1, "2021-01-04"),
        ("2019-12-30", 2020, 1, "2019-12-30"), ("1987-10-19", 1987, 43, "1987-10-19"),
        ("2008-12-29", 2009, 1, "2008-12-29"), ("2010-01-03", 2009, 53, "2009-12-28"),
    ])
    func isoWeeks(_ date: String, _ y: Int, _ w: Int, _ monday: String) throws {
        let n = try #require(CivilDate.parseDay(Array(date.utf8)))
        let iw = CivilDate.isoWeek(days: n)
        #expect(iw.year == y && iw.week == w)
        #expect(CivilDate.isoDate(days: CivilDate.mondayOfWeek(days: n)) == monday)
        #expect(CivilDate.isoWeekOneMonday(isoYear: y) + Int64(7 * (w - 1)) == CivilDate.mondayOfWeek(days: n))
    }

    @Test("53-week ISO years", arguments: [
        (2020, 53), (2021, 52), (2015, 53), (2026, 53), (2004, 53), (1998, 53), (1987, 53), (1988, 52), (2000, 52),
    ])
    func weeksInYear(_ y: Int, _ n: Int) {
        #expect(CivilDate.isoWeeksInYear(y) == n)
    }

    @Test("YYYY-MM-DD parsing", arguments: [
        ("1996-02-29", "1996-02-29"), ("1993-02-29", nil), ("1993-04-31", nil), ("1900-02-29", nil),
        ("2000-02-29", "2000-02-29"), ("1993-4-30", nil), ("1993-04-30 ", nil), ("19930430", nil), ("1993-13-01", nil),
    ] as [(String, String?)])
    func parseDay(_ s: String, _ back: String?) {
        #expect(CivilDate.parseDay(Array(s.utf8)).map { CivilDate.isoDate(days: $0) } == back)
    }

    @Test("text forms")
    func text() {
        #expect(isoDateTime(seconds: -1) == "1969-12-31T23:59:59Z")
        #expect(isoDate(seconds: 253_402_300_799) == "9999-12-31")
        #expect(CivilDate.isoDate(days: CivilDate.days(year: 987, month: 3, day: 4)) == "0987-03-04")
        #expect(CivilDate.year4(-44) == "-0044")
    }
}
