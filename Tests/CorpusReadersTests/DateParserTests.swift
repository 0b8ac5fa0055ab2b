import CorpusCore
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
        "2022-02-12T10:60", "2022-02-12T10:30:15+25:00",
        "32 Jan 2022", "February 30, 2022", "12/02/2022", "not a date 2022", "2022-02-12 junk", "Febtober 1, 2022",
        "31-MAR-1987 605:12:19.12", "12 February", "February 2022",
        "February 12, 2022 CET",  // an unlisted zone name counts as UTC only after a time
        "2 Apr 1993 21:22:59 Pacific",  // a word, not a zone name (1-5 letters)
        "1993-02-29", "1993-04-31", "1900-02-29", "29 Feb 1993 10:00:00 GMT", "April 31, 1993",  // no such day
        "0999-12-31", "1000-01-01T00:30:00+01:00",  // outside 1000–9999 (UTC)
    ])
    func rejects(_ input: String) {
        #expect(DateParser.parse(input) == nil, "\(input)")
    }

    /// SPEC.md "Documents": any alphabetic zone name other than the listed ones counts as -0000 (UTC),
    /// RFC 5322 §4.3; numeric offsets and listed names keep their meaning.
    @Test(arguments: [
        ("Mon, 05 Apr 93 18:01:16 IDT", "1993-04-05T18:01:16Z"),
        ("Mon, 05 Apr 93 18:01:16 NZST", "1993-04-05T18:01:16Z"),
        ("Tue, 6 Apr 1993 09:00:00 CET", "1993-04-06T09:00:00Z"),
        ("Mon, 05 Apr 93 18:01:16 XYZ", "1993-04-05T18:01:16Z"),
        ("2022-02-12T10:30:15 BST", "2022-02-12T10:30:15Z"),
        ("February 12, 2022 10:30 PM AEDT", "2022-02-12T22:30:00Z"),
        ("5 Apr 1993 18:01:16 idt (Israel Daylight Time)", "1993-04-05T18:01:16Z"),
        ("Mon, 05 Apr 93 18:01:16 +0300", "1993-04-05T15:01:16Z"),
        ("Mon, 05 Apr 93 18:01:16 -1200", "1993-04-06T06:01:16Z"),
        ("Mon, 05 Apr 93 18:01:16 EDT", "1993-04-05T22:01:16Z"),
        ("2022-02-12T10:30:15+13:00", "2022-02-11T21:30:15Z"),
    ])
    func zones(_ input: String, _ expected: String) {
        #expect(DateParser.parse(input).map(DateParser.iso8601) == expected, "\(input)")
    }

    @Test(arguments: [
        ("1996-02-29", DateParser.Outcome.date(825_552_000)),
        ("2000-02-29", .date(951_782_400)),
        ("1993-02-29", .noSuchDay), ("1993-02-30", .noSuchDay), ("1993-04-31", .noSuchDay), ("1900-02-29", .noSuchDay),
        ("Sat, 31 Apr 1993 10:00:00 GMT", .noSuchDay), ("February 30, 2022", .noSuchDay), ("31-APR-1987", .noSuchDay),
        ("0999-12-31", .outOfRange), ("1000-01-01T00:30:00+01:00", .outOfRange),
        ("1000-01-01", .date(-30_610_224_000)), ("9999-12-31T23:59:59Z", .date(253_402_300_799)),
        ("yesterday", .unparseable), ("2022-02-12T25:00", .unparseable),
    ])
    func outcomes(_ input: String, _ expected: DateParser.Outcome) {
        #expect(DateParser.check(input) == expected, "\(input)")
    }

    @Test func problems() {
        #expect(DateParser.check("1993-04-31").problem("1993-04-31") == "date \"1993-04-31\" names a day that does not exist")
        #expect(DateParser.check("0999-01-01").problem("0999-01-01") == "date \"0999-01-01\" is outside the years 1000–9999")
        #expect(DateParser.check("1993-04-30").problem("1993-04-30") == nil)
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

    @Test(arguments: [
        ("1789-Washington.txt", "1789-01-01T00:00:00Z"),
        ("inaugural/1965-Johnson-1.txt", "1965-01-01T00:00:00Z"),
        ("/x/2021-03-Report.txt", "2021-03-01T00:00:00Z"),
        ("2021-03-04_news.jsonl.gz", "2021-03-04T00:00:00Z"),
        ("2021-03-04", "2021-03-04T00:00:00Z"),
        ("2021.txt", "2021-01-01T00:00:00Z"),
        ("2021-13-x.txt", "2021-01-01T00:00:00Z"),  // no month 13: the year alone
        ("2021-02-30.txt", "2021-02-01T00:00:00Z"),  // no February 30: the month alone
        ("2022-02-12-uk-defence.txt", "2022-02-12T00:00:00Z"),
        ("1999_report.txt", "1999-01-01T00:00:00Z"),
        ("1993.txt", "1993-01-01T00:00:00Z"),
        ("1993 speech.txt", "1993-01-01T00:00:00Z"),
        ("1000-x.txt", "1000-01-01T00:00:00Z"),
        ("2999-12-31", "2999-12-31T00:00:00Z"),
        ("1996-02-29_leap.txt", "1996-02-29T00:00:00Z"),
        ("1993-02-29_x.txt", "1993-02-01T00:00:00Z"),
    ])
    func fileNameDates(_ name: String, _ expected: String) {
        #expect(DateParser.fileNameDate(name).map(DateParser.iso8601) == expected)
    }

    @Test(arguments: [
        "20210304.txt", "000_42855080ebd22ffd.txt", "abc-2021.txt", "202.txt", "1999x/notes.txt", "12345-x.txt",
        "9141", "1993", "news/1993", "12345.txt", "3000-x.txt", "0999-x.txt", "1999x.txt", "1999+1.txt",
    ])
    func noFileNameDate(_ name: String) {
        #expect(DateParser.fileNameDate(name) == nil)
    }
}
