import CorpusCore
import CorpusTestSupport
import Foundation
import Testing
@testable import CorpusReaders

struct CSVTests {
    @Test func sampleWithBOMQuotingAndMultilineFields() throws {
        let path = R.fixture("sample.csv")
        let (docs, diag) = try R.read([path])
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(docs.count == 4)
        guard docs.count == 4 else { return }
        #expect(docs[0].id == "1")  // the BOM does not stick to the first column name
        #expect(docs[0].source == "\(path):2")
        #expect(R.iso(docs[0]) == "2022-02-12T00:00:00Z")
        #expect(docs[0].title == "Title, with comma")
        #expect(R.body(docs[0]) == "Body with \"quotes\"\r\nand a second line")
        #expect(docs[1].source == "\(path):4")  // the previous record spans two lines
        #expect(R.iso(docs[1]) == "2022-02-12T00:00:00Z")
        #expect(docs[1].title == "Plain")
        #expect(R.body(docs[1]) == "Simple body")
        #expect(docs[2].source == "\(path):6")  // an empty line is not a record
        #expect(docs[2].date == nil)
        #expect(R.body(docs[2]) == "multi\n\nparagraph")
        #expect(docs[3].source == "\(path):9")
        #expect(R.iso(docs[3]) == "1993-04-03T01:22:59Z")
        #expect(docs[3].title == "")
        #expect(R.body(docs[3]) == "last \"unquoted\" quote")
    }

    @Test func badRowsAreSkippedWithLineNumbers() throws {
        let path = R.fixture("bad.csv")
        let (docs, diag) = try R.read([path])
        #expect(docs.map(\.id) == ["1", "4"])
        #expect(docs.last?.date == nil)
        let m = diag.messages
        #expect(m.contains("\(path):3: expected 4 fields, found 5; record skipped"), "\(m)")
        #expect(m.contains("\(path):4: expected 4 fields, found 2; record skipped"), "\(m)")
        #expect(m.contains("\(path):5: unparseable date \"someday\""), "\(m)")
        #expect(m.contains { $0.hasPrefix("\(path):6: unterminated quoted field") }, "\(m)")
        #expect(diag.count(.skipped) == 3)
        #expect(diag.count(.badDate) == 1)
        #expect(throws: CorpusError.self) { try R.read([path], strict: true) }
    }

    @Test func missingTextColumnSkipsTheFile() throws {
        let path = R.fixture("notext.csv")
        let (docs, diag) = try R.read([path])
        #expect(docs.isEmpty)
        #expect(diag.messages == ["\(path):1: no text column (looked for text, body, content); file skipped"])
        var o = ReaderOptions()
        o.textField = "title"
        let (d2, diag2) = try R.read([path], o)
        #expect(d2.map(R.body) == ["x"])
        #expect(diag2.warningCount == 0)
    }

    @Test func tsv() throws {
        let path = R.fixture("sample.tsv")
        let (docs, diag) = try R.read([path])
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(docs.count == 2)
        guard docs.count == 2 else { return }
        #expect(docs[0].id == "t1")
        #expect(docs[0].title == "A \"quoted\" word")
        #expect(R.body(docs[0]) == "body one")
        #expect(R.iso(docs[0]) == "1993-04-03T01:22:59Z")
        #expect(docs[1].title == "Quoted\ttab")
        #expect(R.body(docs[1]) == "body\ntwo")
        #expect(docs[1].date == nil)
    }

    @Test func headerOnlyAndFieldOverrides() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "h.csv", "Text,Headline\n")
        let (docs, diag) = try R.read([p])
        #expect(docs.isEmpty)
        #expect(diag.warningCount == 0)
        // column names match case-insensitively when there is no exact match
        let q = try R.write(dir, "c.csv", "Text,Headline,When\nhello,Hi,2022-02-12\n")
        var o = ReaderOptions()
        o.dateField = "when"
        let (d2, _) = try R.read([q], o)
        #expect(d2.first?.title == "Hi")
        #expect(R.body(d2[0]) == "hello")
        #expect(R.iso(d2[0]) == "2022-02-12T00:00:00Z")
    }

    @Test func latin1CSVHeaderAndCells() throws {
        let dir = try R.tempDir()
        // "résumé" column is the text column by override; bytes are ISO-8859-1
        let bytes: [UInt8] = Array("id,r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9] + Array("\n1,caf".utf8) + [0xE9, 0x0A]
        let p = try R.write(dir, "l1.csv", bytes)
        var o = ReaderOptions()
        o.encoding = .latin1
        o.textField = "résumé"
        let (docs, diag) = try R.read([p], o)
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(docs.map(R.body) == ["café"])
    }

    @Test func chunkBoundariesInsideQuotedFields() throws {
        let dir = try R.tempDir()
        var text = "id,text\n"
        var expected: [String] = []
        for i in 0..<2000 {
            let body = "row \(i), \"q\"\nsecond line \(String(repeating: "y", count: i % 53))"
            expected.append(body)
            text += "\(i),\"\(body.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
        }
        let p = try R.write(dir, "multi.csv", text)
        var o = ReaderOptions()
        o.chunkSize = 4096
        let r = try R.readChunked([p], o)
        #expect(r.chunks > 10)
        #expect(r.diag.warningCount == 0, "\(r.diag.messages.prefix(3))")
        #expect(r.docs.map(R.body) == expected)
        #expect(r.docs.last?.source == "\(p):\(2 + 2 * 1999)")
    }

    @Test(arguments: [
        ("a,b,c", ["a", "b", "c"]),
        ("\"a,1\",b", ["a,1", "b"]),
        ("\"\",x,", ["", "x", ""]),
        ("\"say \"\"hi\"\"\",2", ["say \"hi\"", "2"]),
        ("x\"y,z", ["x\"y", "z"]),
        ("\"ab\"cd,e", ["abcd", "e"]),
        ("a,b\r", ["a", "b"]),
        ("\"a\"\r", ["a"]),
    ])
    func recordParsing(_ line: String, _ fields: [String]) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBufferPointer { b in
            var f: [CSV.Field] = []
            _ = CSV.parseRecord(b, 0, b.count, delimiter: 44, into: &f)
            #expect(f.map { CSV.string(b, $0) } == fields)
        }
    }
}
