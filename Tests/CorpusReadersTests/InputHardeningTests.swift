import CorpusCore
import Foundation
import Testing

@testable import CorpusReaders

#if canImport(Glibc)
import Glibc
#endif

/// Issue 19, the reader half: each case warns with file:line, keeps what can be kept, and ends.
@Suite struct InputHardeningTests {
    static func jsonl(_ n: Int, _ word: String = "good") -> String {
        (0..<n).map { "{\"text\":\"\(word) \($0)\"}\n" }.joined()
    }

    // MARK: 1. each file once

    @Test func symlinkCyclesEndAndEachFileIsReadOnce() throws {
        let dir = try R.tempDir()
        let good = try R.write(dir, "d/good.jsonl", Self.jsonl(3))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/s1", withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/s2", withDestinationPath: ".")
        let (docs, diag) = try R.read([dir.path + "/d", good])
        #expect(docs.count == 3)
        let notes = diag.messages
        #expect(notes.filter { $0.contains("the same folder as") }.count == 2, "\(notes)")
        #expect(notes.contains { $0.hasPrefix(good + ": the same file as ") && $0.hasSuffix("read once") }, "\(notes)")
        #expect(diag.warningCount == 0)
    }

    // MARK: 2. names

    @Test(arguments: [
        ([UInt8]("plain.txt".utf8), "plain.txt"),
        ([0x62, 0xFF, 0x2E], "b\\xff."),
        ([0x61, 0x0A, 0x62, 0x0D, 0x09, 0x1B], "a\\nb\\r\\t\\x1b"),
        (Array("é€😀".utf8), "é€😀"),
        ([0xC3], "\\xc3"),  // a cut sequence
        ([0xED, 0xA0, 0x80], "\\xed\\xa0\\x80"),  // a surrogate is not UTF-8
        ([0xC2, 0x85], "\\u{85}"),  // C1 control (NEL)
    ])
    func displayNames(bytes: [UInt8], shown: String) {
        #expect(InputListing.displayName(bytes) == shown)
    }

    @Test func nonUTF8NamesInAFolderAreRead() throws {
        let dir = try R.tempDir()
        let path = Array(dir.path.utf8) + Array("/bad".utf8) + [0xFF] + Array(".jsonl".utf8)
        let fd = (path + [0]).withUnsafeBufferPointer { p in
            p.baseAddress!.withMemoryRebound(to: CChar.self, capacity: p.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(fd >= 0)
        let text = Array("{\"text\":\"alpha\"}\n".utf8)
        _ = text.withUnsafeBufferPointer { write(fd, $0.baseAddress!, $0.count) }
        close(fd)
        let (docs, diag) = try R.read([dir.path])
        #expect(docs.count == 1)
        #expect(docs.first?.source == dir.path + "/bad\\xff.jsonl:1")
        #expect(diag.warningCount == 0, "\(diag.messages)")
    }

    // MARK: 3. NUL

    @Test(arguments: [
        ("a.jsonl", "{\"text\":\"one\"}\n{\"text\":\"t\u{0}wo\"}\n{\"text\":\"three\"}\n", 2, "a.jsonl:2: NUL byte in the record"),
        ("a.csv", "id,text\n1,one\n2,t\u{0}wo\n3,three\n", 2, "a.csv:3: NUL byte in the record"),
        ("a.txt", "one line\nsecond \u{0} line\n", 0, "a.txt:2: NUL byte in the document"),
        (
            "a.sgm", "<REUTERS NEWID=\"1\">\n<TEXT><BODY>one</BODY></TEXT>\n</REUTERS>\n<REUTERS NEWID=\"2\">\n<TEXT><BODY>t\u{0}wo</BODY></TEXT>\n</REUTERS>\n",
            1, "a.sgm:5: NUL byte in the record"  // the line holding the NUL
        ),
    ])
    func aNULMakesOneRecordBad(name: String, text: String, kept: Int, warning: String) throws {
        let dir = try R.tempDir()
        let path = try R.write(dir, name, text)
        for chunkSize in [4096, 4 << 20] {
            let (docs, diag) = try R.read([path], ReaderOptions(chunkSize: chunkSize))
            #expect(docs.count == kept)
            #expect(diag.messages.contains { $0.hasPrefix(dir.path + "/" + warning) }, "\(diag.messages)")
            #expect(diag.unreadableInputs == 0)
        }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 100), true),
        (Array((0..<256).map { UInt8($0) }), true),  // random-looking data: 27 of 256 are controls
        (Array("text\twith\r\nline ends\u{0C} and an \u{1B}[1m escape".utf8), false),
        (Array(String(repeating: "a good line of text\n", count: 100).utf8) + [0], false),
    ])
    func binaryRule(bytes: [UInt8], binary: Bool) {
        #expect((CorpusReader.binaryVerdict(bytes) != nil) == binary)
    }

    // MARK: 4. long records

    @Test(arguments: [
        ("long.jsonl", "{\"text\":\"", "\"}\n", 2000),
        ("long.csv", "999,\"", "\"\n", 2000),
    ])
    func aLongRecordIsSkippedAlone(name: String, open: String, close: String, kept: Int) throws {
        let dir = try R.tempDir()
        let (before, after): (String, String) =
            name.hasSuffix(".csv")
            ? ("id,text\n" + (0..<1000).map { "\($0),good \($0)\n" }.joined(), (0..<1000).map { "\($0),more \($0)\n" }.joined())
            : (Self.jsonl(1000), Self.jsonl(1000, "more"))
        // A CSV record may span lines (a quoted field); a JSONL record is one line.
        let filler = String(repeating: name.hasSuffix(".csv") ? "x y\n" : "x y ", count: 50_000)
        let path = try R.write(dir, name, before + open + filler + close + after)
        let line = name.hasSuffix(".csv") ? 1002 : 1001
        for chunkSize in [4096, 65536, 4 << 20] {
            let options = ReaderOptions(chunkSize: chunkSize, maxRecordSize: 16384)
            let (docs, diag) = try R.read([path], options)
            #expect(docs.count == kept, "chunk \(chunkSize): \(diag.messages)")
            #expect(docs.last.map(R.body) == "more 999")
            #expect(diag.messages.contains { $0.hasPrefix("\(path):\(line): record longer than 16384 bytes (--max-record-mb)") }, "\(diag.messages)")
            #expect(diag.count(.skipped) == 1)
        }
    }

    // MARK: 5. gzip

    @Test func truncatedGzipKeepsWhatDecoded() throws {
        let dir = try R.tempDir()
        let plain = try R.write(dir, "p.jsonl", Self.jsonl(20000))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -c '\(plain)' | head -c 30000 > '\(dir.path)/t.jsonl.gz'"]
        try p.run()
        p.waitUntilExit()
        let (docs, diag) = try R.read([dir.path + "/t.jsonl.gz"])
        #expect(docs.count > 1000)
        #expect(docs.last.map(R.body) == "good \(docs.count - 1)")
        #expect(diag.unreadableInputs == 1)
        #expect(diag.messages.contains { $0.contains("t.jsonl.gz: truncated gzip data (unexpected end of file) after ") }, "\(diag.messages)")
    }

    // MARK: 6. line ends

    @Test(arguments: ["\r", "\r\n", "\n"])
    func csvLineEnds(eol: String) throws {
        let dir = try R.tempDir()
        let path = try R.write(dir, "a.csv", ["id,text", "1,one", "2,\"two\(eol)lines\"", "3,three"].joined(separator: eol) + eol)
        let (docs, diag) = try R.read([path])
        #expect(docs.map(R.body) == ["one", "two\(eol == "\r" ? "\n" : eol)lines", "three"])
        #expect(docs.map(\.source) == ["\(path):2", "\(path):3", "\(path):5"])
        #expect(diag.warningCount == 0)
    }

    // MARK: 7. Reuters

    @Test func aMissingReutersEndTagEndsAtTheNextStart() throws {
        let dir = try R.tempDir()
        let path = try R.write(
            dir, "m.sgm",
            "<REUTERS NEWID=\"1\">\n<TEXT><BODY>first</BODY></TEXT>\n<REUTERS NEWID=\"2\">\n<TEXT><BODY>second</BODY></TEXT>\n</REUTERS>\n"
                + "<REUTERS NEWID=\"3\">\n<TEXT><BODY>third</BODY></TEXT>\n")
        let (docs, diag) = try R.read([path])
        #expect(docs.map(R.body) == ["first", "second", "third"])
        #expect(docs.map(\.id) == ["1", "2", "3"])
        #expect(diag.messages.contains { $0 == "\(path):1: <REUTERS> element without </REUTERS>: ended at the next <REUTERS> (line 3) (document kept)" })
        #expect(diag.messages.contains { $0 == "\(path):6: <REUTERS> element without </REUTERS>: ended at the end of the file (document kept)" })
    }
}
