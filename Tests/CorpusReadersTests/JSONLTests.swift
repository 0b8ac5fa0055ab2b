import CorpusCore
import CorpusTestSupport
import Foundation
import Testing
@testable import CorpusReaders

struct JSONLTests {
    @Test func sampleFields() throws {
        let path = R.fixture("sample.jsonl")
        let (docs, diag) = try R.read([path])
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(docs.count == 8)
        guard docs.count == 8 else { return }

        #expect(docs[0].id == "a1")
        #expect(docs[0].source == "\(path):1")
        #expect(R.iso(docs[0]) == "2022-02-12T10:00:00Z")
        #expect(docs[0].title == "First")
        #expect(R.body(docs[0]) == "Hello world.")

        // number id, `published` and `headline` fallbacks, `body` fallback, every escape
        #expect(docs[1].id == "42")
        #expect(R.iso(docs[1]) == "1993-04-05T18:01:16Z")
        #expect(docs[1].title == "Second \"quoted\"")
        #expect(R.body(docs[1]) == "Line one\nLine two é 😀 \\ / \t.")

        // `content` fallback; no id → file:line; no date; skipped nested values
        #expect(docs[2].id == "\(path):3")
        #expect(docs[2].date == nil)
        #expect(docs[2].title == nil)
        #expect(R.body(docs[2]) == "no id or date")

        // blank lines are not records but count as lines
        #expect(docs[3].source == "\(path):6")
        #expect(R.iso(docs[3]) == "2022-02-12T00:00:00Z")  // Unix seconds
        #expect(docs[3].id == "7.5")
        #expect(R.iso(docs[4]) == "2022-02-12T00:00:00Z")  // milliseconds (> 1e11)
        #expect(docs[4].title == "2022")

        // array of strings: paragraphs joined by a blank line, nulls ignored; null title/date
        #expect(R.body(docs[5]) == "para one\n\npara two")
        #expect(docs[5].title == nil && docs[5].date == nil)

        // empty text is a document (empty body); empty date = no date
        #expect(docs[6].id == "empty-text")
        #expect(docs[6].body.isEmpty)
        #expect(docs[6].date == nil)

        // the last line has no newline; "TEXT" is not "text"
        #expect(R.body(docs[7]) == "café 東京")
        #expect(docs[7].source == "\(path):10")
    }

    @Test func lastLineWithoutNewlineAndKeyCase() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "x.jsonl", "{\"TEXT\": \"upper\", \"text\": \"café 東京\"}")
        let (d2, diag) = try R.read([p])
        #expect(diag.warningCount == 0)
        #expect(d2.map(R.body) == ["café 東京"])
    }

    @Test func nestedAndDottedFields() throws {
        var o = ReaderOptions()
        o.textField = "article.body"
        o.dateField = "meta.date"
        o.idField = "meta.id"
        o.titleField = "meta.info.headline"
        let path = R.fixture("nested.jsonl")
        let (docs, diag) = try R.read([path], o)
        #expect(docs.count == 3)
        guard docs.count == 3 else { return }
        #expect(docs[0].id == "m1")
        #expect(R.iso(docs[0]) == "2022-02-12T00:00:00Z")
        #expect(docs[0].title == "Deep title")
        #expect(R.body(docs[0]) == "nested body")
        // a top-level key spelled "meta.date" is found too
        #expect(docs[1].id == "m2")
        #expect(R.iso(docs[1]) == "2021-01-01T00:00:00Z")
        #expect(R.body(docs[1]) == "dotted key at top level")
        #expect(docs[2].id == "\(path):3")
        #expect(docs[2].date == nil)
        // line 4: "article" is a string, so there is no article.body
        #expect(diag.count(.skipped) == 1)
        #expect(diag.messages.first?.hasPrefix("\(path):4: no text field (looked for article.body)") == true, "\(diag.messages)")
    }

    @Test func badInputWarnsAndContinues() throws {
        let path = R.fixture("bad.jsonl")
        let (docs, diag) = try R.read([path])
        #expect(docs.map(\.id) == ["ok1", "baddate", "ok2"])
        #expect(docs.count == 3)
        if docs.count == 3 { #expect(docs[1].date == nil) }
        #expect(diag.count(.skipped) == 9, "\(diag.messages)")
        #expect(diag.count(.badDate) == 1)
        let m = diag.messages
        func has(_ line: Int, _ text: String) -> Bool { m.contains { $0.hasPrefix("\(path):\(line): ") && $0.contains(text) } }
        #expect(has(2, "malformed JSON: unterminated string"))
        #expect(has(3, "no text field (looked for text, body, content)"))
        #expect(has(4, "not a JSON object"))
        #expect(has(5, "unparseable date \"sometime soon\""))
        #expect(has(6, "unexpected characters after the JSON object"))
        #expect(has(7, "is an object"))
        #expect(has(9, "invalid escape"))
        #expect(has(10, "no text field"))
        #expect(has(11, "expected ',' or '}'"))
        #expect(has(12, "invalid number"))
    }

    @Test func strictModeThrows() throws {
        #expect(throws: CorpusError.self) { try R.read([R.fixture("bad.jsonl")], strict: true) }
        // and a clean file passes under strict
        let (docs, _) = try R.read([R.fixture("sample.jsonl")], strict: true)
        #expect(docs.count == 8)
    }

    @Test func gzipInput() throws {
        let plain = try R.read([R.fixture("sample.jsonl")]).docs
        let gz = try R.read([R.fixture("sample.jsonl.gz")])
        #expect(gz.diag.warningCount == 0)
        #expect(gz.docs.map(\.body) == plain.map(\.body))
        #expect(gz.docs.map(\.date) == plain.map(\.date))
        #expect(gz.docs.first?.source == R.fixture("sample.jsonl.gz") + ":1")

        // two concatenated gzip members read as one stream (like gunzip); a .gz name is not required
        let member = try Data(contentsOf: URL(fileURLWithPath: R.fixture("sample.jsonl.gz")))
        let dir = try R.tempDir()
        var both = [UInt8](member)
        both += [UInt8](member)
        let p = try R.write(dir, "two-members.jsonl", both)
        let r = try R.read([p])
        // the first member ends without a newline: its last line and the next member's first line join,
        // which makes one malformed line
        #expect(r.docs.count == 14)
        #expect(r.diag.count(.skipped) == 1)

        // a truncated .gz: what was decompressed is read, then a warning
        let cut = Array(member.prefix(member.count - 20))
        let t = try R.write(dir, "truncated.jsonl.gz", cut)
        let tr = try R.read([t])
        #expect(tr.diag.count(.skipped) >= 1)
        #expect(tr.diag.messages.contains { $0.contains("truncated gzip") }, "\(tr.diag.messages)")
    }

    @Test func gzipStreamsLargeFile() throws {
        // bigger than one chunk, compressed with the system gzip (several blocks through zlib)
        let dir = try R.tempDir()
        var text = ""
        for i in 0..<20_000 { text += "{\"id\":\"\(i)\",\"text\":\"document number \(i) with some words\"}\n" }
        let p = try R.write(dir, "big.jsonl", text)
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/bin/sh")
        proc.arguments = ["-c", "gzip -n -k '\(p)'"]
        try proc.run()
        proc.waitUntilExit()
        try #require(proc.terminationStatus == 0)
        var o = ReaderOptions()
        o.chunkSize = 64 * 1024
        let r = try R.readChunked([p + ".gz"], o)
        #expect(r.docs.count == 20_000)
        #expect(r.chunks > 10)
        #expect(r.docs.last?.id == "19999")
        #expect(r.docs.last?.source == p + ".gz:20000")
        #expect(r.diag.warningCount == 0)
    }

    @Test func chunkBoundariesDoNotChangeResults() throws {
        let dir = try R.tempDir()
        var text = ""
        for i in 0..<3000 {
            text += "{\"id\":\"\(i)\",\"date\":\"2022-02-\(String(format: "%02d", i % 28 + 1))\",\"text\":\"doc \(i) \\u00e9\\n\(String(repeating: "x", count: i % 97))\"}\n"
        }
        let p = try R.write(dir, "many.jsonl", text)
        let whole = try R.read([p]).docs
        var o = ReaderOptions()
        o.chunkSize = 4096
        let small = try R.readChunked([p], o)
        #expect(small.chunks > 20)
        #expect(whole.count == 3000)
        #expect(small.docs.map(\.body) == whole.map(\.body))
        #expect(small.docs.map(\.source) == whole.map(\.source))
        #expect(small.docs.map(\.date) == whole.map(\.date))
        // ordinals increase strictly in input order: sequence << 24 | index
        let ords = small.docs.map(\.ordinal)
        #expect(zip(ords, ords.dropFirst()).allSatisfy { $0 < $1 })
        #expect(ords.first == 0)
    }

    @Test func overlongRecordAtTheEndIsSkippedNotTheRun() throws {
        let dir = try R.tempDir()
        var text = ""
        for i in 0..<200 { text += "{\"text\":\"line \(i)\"}\n" }
        text += "{\"text\":\"" + String(repeating: "z", count: 20_000)  // no end: a truncated dump
        let p = try R.write(dir, "long.jsonl", text)
        let csv = try R.write(dir, "open-quote.csv", "text\nok\n\"never closed\n" + String(repeating: "q,\n", count: 10_000))
        let after = try R.write(dir, "after.jsonl", "{\"text\":\"still read\"}\n")
        var o = ReaderOptions()
        o.chunkSize = 4096
        o.maxRecordSize = 8192
        let (docs, diag) = try R.read([p, csv, after], o)
        #expect(docs.count == 202, "\(diag.messages)")
        #expect(docs.last.map(R.body) == "still read")
        #expect(diag.count(.skipped) == 2, "\(diag.messages)")
        #expect(diag.messages.contains { $0.hasPrefix("\(p):201: record longer than 8192 bytes (--max-record-mb): 20009 bytes skipped (to the end of the file)") }, "\(diag.messages)")
        #expect(diag.messages.contains { $0.hasPrefix("\(csv):3: record longer than 8192 bytes (--max-record-mb)") }, "\(diag.messages)")
    }

    @Test func decodeIsThreadSafe() async throws {
        let dir = try R.tempDir()
        var text = ""
        for i in 0..<5000 { text += "{\"id\":\"\(i)\",\"text\":\"doc \(i)\"}\n" }
        let p = try R.write(dir, "par.jsonl", text)
        var o = ReaderOptions()
        o.chunkSize = 4096
        let diag = Diagnostics(echo: false)
        let reader = try CorpusReader(paths: [p], options: o, diagnostics: diag)
        var chunks: [RecordChunk] = []
        while let c = try reader.nextChunk() { chunks.append(c) }
        let opts = o
        let docs = try await withThrowingTaskGroup(of: [Document].self) { group in
            for c in chunks { group.addTask { try CorpusReader.decode(c, options: opts, diagnostics: diag) } }
            var all: [Document] = []
            for try await part in group { all += part }
            return all
        }
        let sorted = docs.sorted { $0.ordinal < $1.ordinal }
        #expect(sorted.map(\.id) == (0..<5000).map(String.init))
        #expect(reader.bytesRead == Int64(text.utf8.count))
        #expect(reader.filesRead == 1)
    }
}
