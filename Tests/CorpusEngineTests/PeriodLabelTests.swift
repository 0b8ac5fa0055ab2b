import CorpusCore
import CorpusEngine
import Testing

/// Period labels as given on the command line (`rising --period`, the bounds of `--target-dates`):
/// exact forms, periods that exist, years 1000–9999.
@Suite("Period labels")
struct PeriodLabelTests {
    @Test("labels that name a period", arguments: [
        (Granularity.day, "1996-02-29", "1996-02-29"), (.day, "2000-02-29", "2000-02-29"), (.day, "1993-04-30", "1993-04-30"),
        (.week, "2020-W53", "2020-W53"), (.week, "2021-W52", "2021-W52"), (.week, "1987-W43", "1987-W43"),
        (.month, "1987-10", "1987-10"), (.quarter, "1987-Q4", "1987-Q4"), (.year, "1000", "1000"), (.year, "9999", "9999"),
    ])
    func good(_ g: Granularity, _ label: String, _ back: String) throws {
        let o = try #require(g.ordinal(ofLabel: label))
        #expect(g.label(ofOrdinal: o) == back)
    }

    @Test("labels of periods that do not exist", arguments: [
        (Granularity.day, "1993-04-31", "April 1993 has 30 days"),
        (.day, "1993-02-29", "February 1993 has 28 days"),
        (.day, "1900-02-29", "February 1900 has 28 days"),
        (.day, "1993-13-01", "there is no month 13"),
        (.day, "1993-04-00", "April 1993 has 30 days"),
        (.week, "2021-W53", "2021 has ISO weeks W01–W52"),
        (.week, "2021-W00", "2021 has ISO weeks W01–W52"),
        (.month, "1987-00", "there is no month 00"),
        (.quarter, "1987-Q5", "quarters are Q1–Q4"),
        (.year, "0999", "the year 0999 is outside 1000–9999"),
        (.day, "0999-01-01", "the year 0999 is outside 1000–9999"),
    ])
    func impossible(_ g: Granularity, _ label: String, _ why: String) {
        #expect(g.parseLabel(label) == .impossible(why))
        #expect(g.ordinal(ofLabel: label) == nil)
    }

    @Test("malformed labels", arguments: [
        (Granularity.day, "1993-4-30"), (.day, "1993-04"), (.day, "+993-04-30"), (.week, "1987-43"), (.week, "1987-W4"),
        (.month, "1987-1"), (.month, "1987-10-01"), (.quarter, "1987-4"), (.year, "87"), (.year, "19870"), (.day, ""),
    ])
    func malformed(_ g: Granularity, _ label: String) {
        #expect(g.parseLabel(label) == .malformed)
    }

    @Test("every week of 1000–9999 round-trips through its label")
    func weeksRoundTrip() {
        let first = Granularity.week.ordinal(ofDay: CivilDate.days(year: 1000, month: 1, day: 6))
        let last = Granularity.week.ordinal(ofDay: CivilDate.days(year: 9999, month: 12, day: 24))
        var bad: [Int64] = []
        for o in first...last where Granularity.week.ordinal(ofLabel: Granularity.week.label(ofOrdinal: o)) != o {
            bad.append(o)
            if bad.count > 3 { break }
        }
        #expect(bad.isEmpty)
    }

    @Test("moving average: odd windows only; K = 1 gives the values back")
    func smoothing() {
        #expect(centredMovingAverage([3, 0, 0, 6], k: 1) == [3, 0, 0, 6])
        #expect(centredMovingAverage([3, 0, 0, 6, 3], k: 5) == [1, 2.25, 2.4, 2.25, 3])
        #expect(centredMovingAverage([], k: 3) == [])
    }
}
