import CorpusCore
import CorpusTestSupport
import Foundation
import Testing
@testable import CorpusReaders

/// Article, plain text and Reuters SGML, input listing, encodings, bad files.
struct TextFormatsTests {
    static let article = """
        February 12, 2022
        2 mins read

        A Title Line

        First paragraph of the body.

        Second paragraph.
        ALSO READ: Something else entirely

        Previous Story

        Other headline
        """

    @Test func articleFormat() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "a.txt", Self.article)
        let (docs, diag) = try R.read([p])
        #expect(diag.warningCount == 0)
        #expect(docs.count == 1)
        let d = try #require(docs.first)
        #expect(d.id == "\(p):1")
        #expect(R.iso(d) == "2022-02-12T00:00:00Z")
        #expect(d.title == "A Title Line")
        #expect(R.body(d) == "First paragraph of the body.\n\nSecond paragraph.")
    }

    @Test func articleWithoutReadingTimeAndExtraFurniture() throws {
        let dir = try R.tempDir()
        let text = "\n\n2022-03-01T09:00:00+01:00\r\nHeadline here\r\n\r\nBody text.\r\nSponsored content\r\nAd text\r\n"
        let p = try R.write(dir, "b.txt", text)
        let (docs, _) = try R.read([p])
        #expect(docs.first?.title == "Headline here")
        #expect(R.iso(docs[0]) == "2022-03-01T08:00:00Z")
        #expect(R.body(docs[0]) == "Body text.\r\nSponsored content\r\nAd text")
        // --furniture FILE adds markers
        let f = try R.write(dir, "furniture.txt", "# comment\n\n  sponsored CONTENT  \nRead more*\n")
        var o = ReaderOptions()
        o.furnitureMarkers += try ReaderOptions.loadFurniture(path: f)
        #expect(o.furnitureMarkers.suffix(2) == ["sponsored CONTENT", "Read more*"])
        let (d2, _) = try R.read([p], o)
        #expect(R.body(d2[0]) == "Body text.")
        #expect(throws: CorpusError.self) { try ReaderOptions.loadFurniture(path: dir.path + "/missing.txt") }
    }

    @Test(arguments: [
        ("ALSO READ: Britons advised", true), ("Also read: x", true), ("Previous Story", true), ("Next Story", true),
        ("  Next Story  ", true), ("Latest from -Top News", true), ("Go toTop", true), ("Don't Miss", true),
        ("Don\u{2019}t Miss", true), ("Next Story of the day is long", false), ("The Previous Story", false),
        ("Latest from " + String(repeating: "x", count: 200), false), ("Wallace said he had talks.", false),
    ])
    func furnitureMarkers(_ line: String, _ isFurniture: Bool) {
        let f = ChunkDecoder.Furniture(ReaderOptions.builtinFurniture)
        let bytes = Array(line.utf8)
        bytes.withUnsafeBufferPointer { b in
            let t = Bytes.trimmed(b, 0..<b.count)
            #expect(f.matches(UnsafeBufferPointer(rebasing: b[t])) == isFurniture, "\(line)")
        }
    }

    /// The sample article, wherever it is: the shared seed file and every `.txt` of `Corpus/` that holds it.
    static var seedArticleSources: [String] {
        var out: [String] = []
        let seed = TestPaths.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/seed/000_42855080ebd22ffd.txt").path
        if FileManager.default.fileExists(atPath: seed) { out.append(seed) }
        let corpus = TestPaths.repoRoot.appendingPathComponent("Corpus")
        if let names = try? FileManager.default.contentsOfDirectory(atPath: corpus.path) {
            for n in names.sorted() where n.hasSuffix(".txt") && !n.hasPrefix("README") {
                let p = corpus.appendingPathComponent(n).path
                if let d = try? Data(contentsOf: URL(fileURLWithPath: p)), String(decoding: d, as: UTF8.self).contains("UK Defence chief meets Russian counterpart") {
                    out.append(p)
                }
            }
        }
        return out
    }

    @Test func seedArticle() throws {
        let sources = Self.seedArticleSources
        if sources.isEmpty { Issue.record("the sample article is in neither Corpus/ nor ../shared/seed") }
        for path in sources {
            let (docs, diag) = try R.read([path])
            #expect(diag.warningCount == 0)
            let d = try #require(docs.first)
            #expect(docs.count == 1)
            #expect(R.iso(d) == "2022-02-12T00:00:00Z")
            #expect(d.title == "UK Defence chief meets Russian counterpart in Moscow")
            let body = R.body(d)
            #expect(body.hasPrefix("UK Defence Secretary Ben Wallace on Friday held talks"))
            #expect(body.hasSuffix("NATO Secretary General on Thursday 10 February."))
            for furniture in [
                "ALSO READ", "Previous Story", "Next Story", "Latest from", "Go toTop", "Don't Miss", "Modi: We’ll Hunt Them Down",
                "Head of London Police quits", "Moscow Steps Up Afghan Diplomacy", "Cameron throws weight", "2 mins read",
            ] {
                #expect(!body.contains(furniture), "\(path): \(furniture)")
            }
        }
    }

    @Test func plainTextAndFileNameDates() throws {
        let dir = try R.tempDir()
        let a = try R.write(dir, "1789-Washington.txt", "Fellow-Citizens of the Senate\n\nAmong the vicissitudes\n")
        let b = try R.write(dir, "notes.txt", "Just some text.\nFebruary 12, 2022 is not on the first line.\n")
        let c = try R.write(dir, "1984.txt", "1984\n\nA novel's first line is a bare number.\n")
        let (docs, diag) = try R.read([a, b, c])
        #expect(diag.warningCount == 0)
        #expect(docs.count == 3)
        #expect(docs[0].title == nil)
        #expect(R.body(docs[0]) == "Fellow-Citizens of the Senate\n\nAmong the vicissitudes\n")
        #expect(R.iso(docs[0]) == "1789-01-01T00:00:00Z")
        #expect(docs[1].date == nil)
        #expect(R.iso(docs[2]) == "1984-01-01T00:00:00Z")  // text (a bare number is not an article date), year from the name
        #expect(R.body(docs[2]).hasPrefix("1984\n"))
        var o = ReaderOptions()
        o.dateFromFileName = false
        #expect(try R.read([a], o).docs.first?.date == nil)
        // an article's own date wins over the file name
        let d = try R.write(dir, "2001-01-01-x.txt", Self.article)
        #expect(R.iso(try R.read([d]).docs[0]) == "2022-02-12T00:00:00Z")
    }

    @Test func reutersMini() throws {
        let path = R.fixture("mini.sgm")
        let (docs, diag) = try R.read([path])
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(diag.count(.note) == 1)  // the garbled time of NEWID 103
        #expect(docs.map(\.id) == ["101", "102", "103"])
        guard docs.count == 3 else { return }
        #expect(docs[0].source == "\(path):2")
        #expect(R.iso(docs[0]) == "1987-02-26T15:01:01Z")
        #expect(docs[0].title == "STANDARD OIL <SRD> TO FORM MüNCHEN UNIT")  // 0xFC read as Windows-1252
        #expect(R.body(docs[0]) == "Showers & sun in\nthe Bahia € zone <ok> A.\n Reuter")
        // no <BODY>: the <TEXT> without the title and tags, control characters dropped
        #expect(docs[1].source == "\(path):16")
        #expect(R.iso(docs[1]) == "1987-03-27T00:02:59Z")  // wire codes after the time ignored
        #expect(docs[1].title == "ASSETS OF MONEY MARKET FUNDS ROSE")
        #expect(R.body(docs[1]) == "******Blah blah blah.")
        #expect(docs[2].title == nil)
        #expect(R.iso(docs[2]) == "1987-03-31T00:00:00Z")
        #expect(R.body(docs[2]) == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n Net free reserves.............644 vs.....1,337")
        // --encoding utf8 overrides Windows-1252: the 0xFC and 0x80 bytes become U+FFFD, reported once
        var o = ReaderOptions()
        o.encoding = .utf8
        let (u, diag2) = try R.read([path], o)
        #expect(u[0].title == "STANDARD OIL <SRD> TO FORM M\u{FFFD}NCHEN UNIT")
        #expect(diag2.count(.invalidUTF8) == 1)
        #expect(diag2.invalidUTF8Sequences == 2)
        #expect(diag2.messages.first?.hasPrefix("\(path):10: invalid UTF-8 at byte offset 349") == true, "\(diag2.messages)")
    }

    @Test func reutersChunkedAtElementBoundaries() throws {
        var o = ReaderOptions()
        o.chunkSize = 4096
        let dir = try R.tempDir()
        let mini = try Data(contentsOf: URL(fileURLWithPath: R.fixture("mini.sgm")))
        var big = [UInt8]()
        for _ in 0..<20 { big += [UInt8](mini) }
        let p = try R.write(dir, "big.sgm", big)
        let r = try R.readChunked([p], o)
        #expect(r.chunks > 3)
        #expect(r.docs.count == 60)
        #expect(r.docs.map(\.id) == Array(repeating: ["101", "102", "103"], count: 20).flatMap { $0 })
        #expect(r.docs[3].source == "\(p):\(31 + 2)")
    }

    @Test(arguments: [
        ([UInt8]([0x80, 0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x9F, 0xA0, 0xE9, 0xFF]), TextEncoding.windows1252,
            "\u{20AC}\u{81}\u{8D}\u{8F}\u{90}\u{9D}\u{178}\u{A0}\u{E9}\u{FF}"),
        ([UInt8]([0x80, 0x9F, 0xA0, 0xE9, 0xFF]), TextEncoding.latin1, "\u{80}\u{9F}\u{A0}\u{E9}\u{FF}"),
        ([UInt8]([0x93, 0x48, 0x69, 0x94, 0x20, 0x96, 0x20, 0x85]), TextEncoding.windows1252, "\u{201C}Hi\u{201D} \u{2013} \u{2026}"),
    ])
    func singleByteEncodings(_ bytes: [UInt8], _ encoding: TextEncoding, _ expected: String) throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "enc.txt", bytes)
        var o = ReaderOptions()
        o.encoding = encoding
        let (docs, diag) = try R.read([p], o)
        #expect(diag.warningCount == 0)
        #expect(R.body(docs[0]) == expected)
        #expect(TextEncoding(argument: "CP1252") == .windows1252)
        #expect(TextEncoding(argument: "ISO-8859-1") == .latin1)
        #expect(TextEncoding(argument: "UTF8") == .utf8)
        #expect(TextEncoding(argument: "ebcdic") == nil)
    }

    @Test func invalidUTF8IsRepairedAndReportedOncePerFile() throws {
        let dir = try R.tempDir()
        // BOM, line 1 fine, line 2 has a lone continuation byte at file offset 3+6+4 = 13, later more bad bytes
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("hello\n".utf8) + Array("abc ".utf8) + [0x80] + Array(" x ".utf8)
            + [0xE2, 0x82] + Array(" y ".utf8) + [0xF0, 0x9F, 0x98, 0x80] + [0xFF] + Array("\n".utf8)
        let p = try R.write(dir, "bad-utf8.txt", bytes)
        var utf8 = ReaderOptions()
        utf8.encoding = .utf8
        let (docs, diag) = try R.read([p], utf8)
        #expect(R.body(docs[0]) == "hello\nabc \u{FFFD} x \u{FFFD} y 😀\u{FFFD}\n")
        #expect(diag.invalidUTF8Sequences == 3)
        #expect(diag.count(.invalidUTF8) == 1)
        #expect(diag.messages.first?.hasPrefix("\(p):2: invalid UTF-8 at byte offset 13") == true, "\(diag.messages)")
        #expect(throws: CorpusError.self) { try R.read([p], utf8, strict: true) }
    }

    @Test func autoEncodingReadsWhatIsNotUTF8AsWindows1252() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "cp1252.txt", Array("caf".utf8) + [0xE9, 0x20, 0x93] + Array("quoted".utf8) + [0x94, 0x0A])
        let u = try R.write(dir, "utf8.txt", Array("café “quoted”\n".utf8))
        let (docs, diag) = try R.read([p, u])
        #expect(docs.map { R.body($0) } == ["café “quoted”\n", "café “quoted”\n"])
        #expect(diag.invalidUTF8Sequences == 0)
        #expect(diag.count(.note) == 1)
        #expect(diag.messages.first?.hasPrefix("\(p):1: not valid UTF-8 (byte offset 3): read as Windows-1252") == true, "\(diag.messages)")
        // a note, not a warning: --strict does not stop on it
        #expect(try R.read([p], strict: true).docs.count == 1)
        #expect(TextEncoding(argument: "auto") == .auto)
    }

    @Test func badFilesAndPaths() throws {
        let dir = try R.tempDir()
        let empty = try R.write(dir, "empty.txt", "")
        let blank = try R.write(dir, "blank.jsonl", "\n  \n")
        let bomOnly = try R.write(dir, "bom.txt", [0xEF, 0xBB, 0xBF])
        let binary = try R.write(dir, "image.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01])
        let missing = dir.path + "/does-not-exist.jsonl"
        let good = try R.write(dir, "good.txt", "fine\n")
        let (docs, diag) = try R.read([empty, blank, bomOnly, binary, missing, good])
        #expect(docs.map(R.body) == ["fine\n"])
        #expect(diag.count(.skipped) == 5, "\(diag.messages)")
        let m = diag.messages
        #expect(m.contains("\(missing): cannot read: No such file or directory"), "\(m)")
        #expect(m.contains("\(empty):1: empty file"))
        #expect(m.contains("\(blank):1: empty file"))
        #expect(m.contains("\(bomOnly):1: empty file"))
        #expect(m.contains("\(binary):1: binary file (42% of its first 7 bytes are NUL or control bytes), skipped"), "\(m)")
        // strict: the first warning is fatal (here: the missing path, reported when the reader is built)
        #expect(throws: CorpusError.self) { try R.read([missing, good], strict: true) }
        #expect(throws: CorpusError.self) { try R.read([good, binary], strict: true) }
    }

    @Test func directoryRules() throws {
        let dir = try R.tempDir()
        try R.write(dir, "b.txt", "text b")
        try R.write(dir, "a.jsonl", "{\"text\":\"json a\"}\n")
        try R.write(dir, "README.md", "readme")
        try R.write(dir, "README.txt", "readme")
        try R.write(dir, "LICENSE", "license")
        try R.write(dir, ".hidden.txt", "hidden")
        try R.write(dir, ".git/x.txt", "hidden dir")
        try R.write(dir, "script.py", "print()")
        try R.write(dir, "sub/c.csv", "text\ncsv c\n")
        try R.write(dir, "sub-z.txt", "dash sorts before slash")
        // a Reuters distribution: only its SGML files
        let mini = try Data(contentsOf: URL(fileURLWithPath: R.fixture("mini.sgm")))
        try R.write(dir, "reuters/reut2-000.sgm", [UInt8](mini))
        try R.write(dir, "reuters/lewis.dtd", "<!ELEMENT x>")
        try R.write(dir, "reuters/all-topics-strings.lc.txt", "acq\nalum\n")
        try R.write(dir, "reuters/cat-descriptions_120396.txt", "categories")
        let r = try CorpusReader(paths: [dir.path + "/"], diagnostics: Diagnostics(echo: false))
        let names = r.files.map { String($0.dropFirst(dir.path.count + 1)) }
        #expect(names == ["a.jsonl", "b.txt", "reuters/reut2-000.sgm", "sub-z.txt", "sub/c.csv"])
        let docs = try r.readAll()
        #expect(docs.map(R.body) == ["json a", "text b", "Showers & sun in\nthe Bahia € zone <ok> A.\n Reuter",
            "******Blah blah blah.", "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n Net free reserves.............644 vs.....1,337",
            "dash sorts before slash", "csv c"])
        #expect(r.filesRead == 5)
        // a file named on the command line is read whatever its name
        let (d2, _) = try R.read([dir.path + "/README.txt", dir.path + "/script.py"])
        #expect(d2.map(R.body) == ["readme", "print()"])
    }

    @Test func explicitFormatOverridesDetection() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "data.txt", "{\"text\":\"a json line\"}\n")
        #expect(try R.read([p]).docs.map(R.body) == ["{\"text\":\"a json line\"}\n"])
        var o = ReaderOptions()
        o.inputFormat = .jsonl
        #expect(try R.read([p], o).docs.map(R.body) == ["a json line"])
        o.inputFormat = .text
        let a = try R.write(dir, "art.txt", Self.article)
        #expect(try R.read([a], o).docs.first?.title == nil)
    }

    @Test(arguments: [
        ("x.jsonl", "anything", InputFormat.jsonl), ("x.ndjson.gz", "", .jsonl), ("x.json", "", .jsonl),
        ("x.CSV", "", .csv), ("x.tsv", "", .tsv), ("x.sgm", "", .reuters), ("x.SGML.gz", "", .reuters),
        ("x.txt", "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS", .reuters), ("", "<REUTERS NEWID=\"1\">", .reuters),
        ("", "{\"text\": 1}", .jsonl), ("x.txt", "{\"text\": 1}", .text), ("x.txt", "February 12, 2022\nT\nB", .article),
        ("x.txt", "\u{FEFF}\n\n2022-02-12\nT", .article), ("x.txt", "2022\nT", .text), ("x.txt", "Hello\n2022-02-12", .text),
        ("x.txt", "", .text),
    ])
    func detection(_ name: String, _ head: String, _ format: InputFormat) {
        #expect(CorpusReader.detectFormat(name: name, head: Array(head.utf8)) == format)
    }

    @Test(arguments: [
        ("2 mins read", true), ("1 min read", true), ("10 MINUTES READ", true), ("3  minute   read", true),
        ("2 mins", false), ("mins read", false), ("2 mins read more", false), ("2x mins read", false),
    ])
    func readingTimeLine(_ line: String, _ expected: Bool) {
        Array(line.utf8).withUnsafeBufferPointer { #expect(ChunkDecoder.isReadingTime($0) == expected, "\(line)") }
    }

    @Test func jsonArrayFileIsRefusedClearly() throws {
        let dir = try R.tempDir()
        let p = try R.write(dir, "dump.json", "[\n  {\"text\": \"a\"},\n  {\"text\": \"b\"}\n]\n")
        let (docs, diag) = try R.read([p])
        #expect(docs.isEmpty)
        #expect(diag.messages == ["\(p):1: a JSON array, not JSON Lines (one object a line); file skipped"])
    }

    @Test func pathsSortByBytes() {
        #expect(InputListing.sortedByBytes(["b", "a/b", "a-b", "A", "ä", "a"]) == ["A", "a", "a-b", "a/b", "b", "ä"])
    }

    @Test func standardInputIsNotTouchedWhenNotNamed() throws {
        // "-" is recorded as standard input; nothing is read until nextChunk()
        let r = try CorpusReader(paths: ["-"], diagnostics: Diagnostics(echo: false))
        #expect(r.files == ["-"])
    }
}
