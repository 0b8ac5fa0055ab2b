import Testing
@testable import CorpusReaders

/// Dates per SPEC.md "Documents": expected values computed independently (Python `datetime`).
struct DateParserTests {
    @Test(arguments: [
        // ISO 8601
        ("2022-02-12", "2022-02-12T00:00:00Z"),
        ("2022-02", "2022-02-01T00:00:00Z"),
        ("2022", "2022-01-01T00:00:00Z"),
        ("  2022-02-12 \n", "2022-02-12T00:00:00Z"),
        ("2022-02-12T10:30", "2022-02-12T10:30:00Z"),
        ("2022-02-12T10:30:15", "2022-02-12T10:30:15Z"),
        ("2022-02-12T10:30:15Z", "2022-02-12T10:30:15Z"),
        ("2022-02-12t10:30:15z", "2022-02-12T10:30:15Z"),
        ("2022-02-12T10:30:15.250Z", "2022-02-12T10:30:15Z"),
        ("2022-02-12T10:30:15,999+00:00", "2022-02-12T10:30:15Z"),
        ("2022-02-12T23:30:00-05:00", "2022-02-13T04:30:00Z"),  // crosses midnight forward
        ("2022-02-12T01:00:00+05:30", "2022-02-11T19:30:00Z"),  // crosses midnight backward
        ("2022-02-12 10:30:15+0530", "2022-02-12T05:00:15Z"),
        ("2022-02-12T10:30:15+05", "2022-02-12T05:30:15Z"),
        ("2022-02-12 10:30:00 UTC", "2022-02-12T10:30:00Z"),
        ("2022-12-31T23:59:59-00:01", "2023-01-01T00:00:59Z"),  // crosses a year
        ("2020-02-29", "2020-02-29T00:00:00Z"),
        ("2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z"),
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        // RFC 2822 / 5322
        ("Mon, 05 Apr 93 18:01:16 GMT", "1993-04-05T18:01:16Z"),
        ("2 Apr 1993 21:22:59 -0400", "1993-04-03T01:22:59Z"),
        ("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", "2003-07-01T08:52:37Z"),
        ("Fri, 31 Dec 99 23:00:00 PST", "2000-01-01T07:00:00Z"),
        ("Sat, 01 Jan 00 00:30:00 +0100", "1999-12-31T23:30:00Z"),
        ("1 Jan 49 00:00:00 GMT", "2049-01-01T00:00:00Z"),
        ("1 Jan 50 00:00:00 GMT", "1950-01-01T00:00:00Z"),
        ("1 Jan 1999 00:00 UT", "1999-01-01T00:00:00Z"),
        ("1 Jan 1999 00:00:00 UTC", "1999-01-01T00:00:00Z"),
        ("1 Jan 1999 00:00:00 EST", "1999-01-01T05:00:00Z"),
        ("1 Jul 1999 00:00:00 EDT", "1999-07-01T04:00:00Z"),
        ("1 Jan 1999 00:00:00 CST", "1999-01-01T06:00:00Z"),
        ("1 Jul 1999 00:00:00 CDT", "1999-07-01T05:00:00Z"),
        ("1 Jan 1999 00:00:00 MST", "1999-01-01T07:00:00Z"),
        ("1 Jul 1999 00:00:00 MDT", "1999-07-01T06:00:00Z"),
        ("1 Jan 1999 00:00:00 PST", "1999-01-01T08:00:00Z"),
        ("1 Jul 1999 00:00:00 PDT", "1999-07-01T07:00:00Z"),
        ("Wed, 30 Jun 1999 20:00:00 -0800", "1999-07-01T04:00:00Z"),
        ("Thu, 01 Jan 1970 00:00:00 +0000", "1970-01-01T00:00:00Z"),
        ("5 Apr 093 18:01:16 GMT", "1993-04-05T18:01:16Z"),  // RFC 5322 obsolete 3-digit year
        // Month names
        ("February 12, 2022", "2022-02-12T00:00:00Z"),
        ("Feb 12, 2022", "2022-02-12T00:00:00Z"),
        ("Feb. 12, 2022", "2022-02-12T00:00:00Z"),
        ("february 12 2022", "2022-02-12T00:00:00Z"),
        ("Saturday, February 12, 2022", "2022-02-12T00:00:00Z"),
        ("Sept 3, 2021", "2021-09-03T00:00:00Z"),
        ("February 12th, 2022", "2022-02-12T00:00:00Z"),
        ("February 12, 2022 10:30 PM EST", "2022-02-13T03:30:00Z"),
        ("February 12, 2022, 12:15 AM", "2022-02-12T00:15:00Z"),
        ("12 February 2022", "2022-02-12T00:00:00Z"),
        ("12 Feb 2022", "2022-02-12T00:00:00Z"),
        ("12 DECEMBER 2022", "2022-12-12T00:00:00Z"),
        // Reuters
        ("26-FEB-1987 15:02:20.00", "1987-02-26T15:02:20Z"),
        ("5-MAR-1987 09:15:05.40", "1987-03-05T09:15:05Z"),
        ("3-MAR-1987  09:15:05.40", "1987-03-03T09:15:05Z"),
        ("20-OCT-1987", "1987-10-20T00:00:00Z"),
    ])
    func parses(_ input: String, _ expected: String) {
        let v = DateParser.parse(input)
        #expect(v.map(DateParser.iso8601) == expected, "\(input)")
    }

    @Test(arguments: [
        "", "   ", "yesterday", "2022-02-30", "2021-02-29", "2022-13-01", "2022-00-10", "2022-02-12T25:00",
        "2022-02-12T10:60", "2022-02-12T10:30:15+25:00", "2022-02-12T10:30:15 BST", "Mon, 05 Apr 93 18:01:16 XYZ",
        "32 Jan 2022", "February 30, 2022", "12/02/2022", "not a date 2022", "2022-02-12 junk", "Febtober 1, 2022",
        "31-MAR-1987 605:12:19.12", "12 February", "February 2022",
    ])
    func rejects(_ input: String) {
        #expect(DateParser.parse(input) == nil, "\(input)")
    }

    @Test func substringAndBytes() {
        let line = "date: 2022-02-12T00:00:00Z"
        let sub = line[line.index(line.startIndex, offsetBy: 6)...]
        #expect(DateParser.parse(sub) == 1_644_624_000)
        #expect(DateParser.parse(utf8: Array("12 February 2022".utf8)) == 1_644_624_000)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z", "1970-01-01"),
        (Int64(1_644_624_000), "2022-02-12T00:00:00Z", "2022-02-12"),
        (Int64(1_644_726_600), "2022-02-13T04:30:00Z", "2022-02-13"),
        (Int64(-1), "1969-12-31T23:59:59Z", "1969-12-31"),
        (Int64(-5_711_731_200), "1789-01-01T00:00:00Z", "1789-01-01"),
        (Int64(541_350_140), "1987-02-26T15:02:20Z", "1987-02-26"),
        (Int64(253_402_300_799), "9999-12-31T23:59:59Z", "9999-12-31"),
    ])
    func formats(_ seconds: Int64, _ iso: String, _ day: String) {
        #expect(DateParser.iso8601(seconds) == iso)
        #expect(DateParser.isoDay(seconds) == day)
        #expect(DateParser.parse(iso) == seconds)
    }

    @Test func calendarRoundTrip() {
        var d: Int64 = -800_000
        while d < 800_000 {
            let (y, m, day) = DateParser.civilFromDays(d)
            #expect(DateParser.daysFromCivil(y, m, day) == d)
            d += 997
        }
    }

    @Test(arguments: [
        ("1789-Washington.txt", "1789-01-01T00:00:00Z"),
        ("inaugural/1965-Johnson-1.txt", "1965-01-01T00:00:00Z"),
        ("/x/2021-03-Report.txt", "2021-03-01T00:00:00Z"),
        ("2021-03-04_news.jsonl.gz", "2021-03-04T00:00:00Z"),
        ("2021-03-04", "2021-03-04T00:00:00Z"),
        ("2021.txt", "2021-01-01T00:00:00Z"),
        ("2021-13-x.txt", "2021-01-01T00:00:00Z"),
        ("2021-02-30.txt", "2021-02-01T00:00:00Z"),
    ])
    func fileNameDates(_ name: String, _ expected: String) {
        #expect(DateParser.fileNameDate(name).map(DateParser.iso8601) == expected)
    }

    @Test(arguments: ["20210304.txt", "000_42855080ebd22ffd.txt", "abc-2021.txt", "202.txt", "1999x/notes.txt", "12345-x.txt"])
    func noFileNameDate(_ name: String) {
        #expect(DateParser.fileNameDate(name) == nil)
    }
}
