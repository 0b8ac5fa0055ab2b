import CorpusCore
import CorpusTestSupport
import Foundation
import Testing
@testable import CorpusReaders

/// Real files from ../shared/corpora (skipped with a message when absent).
struct CorporaTests {
    @Test(.enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func reutersWholeDistribution() throws {
        // The folder as a user would name it: README, DTD and category lists are not documents.
        let dir = TestPaths.corpus("reuters21578").path + "/"
        let diag = Diagnostics(strict: true, echo: false)
        let reader = try CorpusReader(paths: [dir], diagnostics: diag)
        #expect(reader.files.count == 22)
        #expect(reader.files.allSatisfy { $0.hasSuffix(".sgm") })
        var count = 0
        var ids = Set<Int>()
        var first = Int64.max, last = Int64.min
        var undated = 0, titled = 0
        var previousOrdinal = -1
        while let chunk = try reader.nextChunk() {
            for d in try CorpusReader.decode(chunk, options: reader.options, diagnostics: diag) {
                count += 1
                if let n = Int(d.id) { ids.insert(n) }
                if let t = d.date { first = min(first, t); last = max(last, t) } else { undated += 1 }
                if let t = d.title, !t.isEmpty { titled += 1 }
                #expect(d.ordinal > previousOrdinal)
                previousOrdinal = d.ordinal
            }
        }
        #expect(count == 21_578)
        #expect(ids == Set(1...21_578))
        #expect(undated == 0)
        #expect(titled == 20_841)
        #expect(DateParser.isoDay(first) == "1987-02-26")
        #expect(DateParser.isoDay(last) == "1987-10-20")
        #expect(diag.warningCount == 0)
        #expect(reader.filesRead == 22)
        #expect(reader.bytesRead == 27_636_766)
    }

    @Test(.enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func reutersFirstFile() throws {
        let path = TestPaths.corpus("reuters21578/reut2-000.sgm").path
        let (docs, diag) = try R.read([path])
        #expect(diag.warningCount == 0)
        #expect(docs.count == 1000)
        let d = try #require(docs.first)
        #expect(d.id == "1")
        #expect(d.source == "\(path):2")
        #expect(R.iso(d) == "1987-02-26T15:01:01Z")
        #expect(d.title == "BAHIA COCOA REVIEW")
        #expect(R.body(d).hasPrefix("Showers continued throughout the week in\nthe Bahia cocoa zone"))
        #expect(R.body(d).hasSuffix("midday on February 27.\n Reuter"))
        #expect(docs[1].title == "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT")
        // no control characters survive
        #expect(docs.allSatisfy { !$0.body.contains { $0 < 32 && $0 != 10 && $0 != 9 } })
    }

    @Test(.enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func reutersNonASCIIByte() throws {
        // the one non-ASCII byte of the set (0xFC, "ü") in reut2-017.sgm, read as Windows-1252
        let path = TestPaths.corpus("reuters21578/reut2-017.sgm").path
        let (docs, diag) = try R.read([path])
        #expect(docs.count == 1000)
        #expect(diag.invalidUTF8Sequences == 0)
        let withU = docs.filter { ($0.title ?? "").contains("ü") || R.body($0).contains("ü") }
        #expect(withU.count == 1)
    }

    @Test(.enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func inauguralYearsFromFileNames() throws {
        let dir = TestPaths.corpus("inaugural").path
        let (docs, _) = try R.read([dir])
        #expect(docs.count == 59)  // README skipped
        #expect(docs.allSatisfy { $0.date != nil && $0.title == nil })
        #expect(R.iso(docs.first!) == "1789-01-01T00:00:00Z")
        #expect(R.iso(docs.last!) == "2021-01-01T00:00:00Z")
        // 2005-Bush.txt is not UTF-8: the default (auto) reads it as Windows-1252 and says so once;
        // forced UTF-8 replaces its bytes by U+FFFD and counts them
        let (bush, diag) = try R.read([dir + "/2005-Bush.txt"])
        #expect(bush.count == 1)
        #expect(diag.invalidUTF8Sequences == 0)
        #expect(diag.count(.note) == 1)
        #expect(!R.body(bush[0]).contains("\u{FFFD}"))
        var o = ReaderOptions()
        o.encoding = .utf8
        let (forced, diag2) = try R.read([dir + "/2005-Bush.txt"], o)
        #expect(diag2.invalidUTF8Sequences > 0)
        #expect(R.body(forced[0]).contains("\u{FFFD}"))
    }
}
