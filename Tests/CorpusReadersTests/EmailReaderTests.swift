import CorpusCore
import CorpusTestSupport
import Foundation
import Testing
@testable import CorpusReaders

/// The `email` reader on hand-made messages (issue 17).
struct EmailReaderTests {
    /// Writes `text` (LF line ends, or CRLF when `crlf`) to a temp file and reads it.
    static func read(
        _ text: String, name: String = "1", crlf: Bool = false, _ options: ReaderOptions = ReaderOptions()
    ) throws -> (docs: [Document], diag: Diagnostics, path: String) {
        try read(bytes: Array((crlf ? text.replacingOccurrences(of: "\n", with: "\r\n") : text).utf8), name: name, options)
    }

    static func read(bytes: [UInt8], name: String = "1", _ options: ReaderOptions = ReaderOptions()) throws
        -> (docs: [Document], diag: Diagnostics, path: String)
    {
        let dir = try R.tempDir()
        let path = try R.write(dir, name, bytes)
        let (docs, diag) = try R.read([path], options)
        return (docs, diag, path)
    }

    static let usenet = """
        Path: news.example.org!news
        From: jake@bony1.bony.com (Jake Livni)
        Newsgroups: talk.politics.mideast, soc.culture.israel ,
          talk.politics.misc
        Subject: Re: The encryption
         debate continues
        Date: Tue, 20 Apr 1993 12:34:56 -0400
        Message-ID: <1993Apr20.123456.1@bony1.bony.com>
        Organization: The Department of Redundancy Department

        In article <1993Apr19.1@cs.example.edu> smith@cs.example.edu (John Smith) writes:
        >In article <C5r0@other.example.com> doe@other.example.com writes:
        >>>Third level quote about keys.
        >>Second level quote about chips.
        >First level quote about escrow.

        The encryption algorithm is secret.
        Nobody can check it.

        -- 
        Jake Livni  jake@bony1.bony.com   Ten years from now, George Bush will
        American Department of Misinformation.

        """

    @Test func usenetPostHeadersQuotesAndSignature() throws {
        var o = ReaderOptions()
        o.fields = ["Newsgroups", "organization", "from", "X-Missing"]
        let (docs, diag, path) = try Self.read(Self.usenet, o)
        #expect(diag.warningCount == 0, "\(diag.messages)")
        try #require(docs.count == 1)
        let d = docs[0]
        #expect(d.id == "<1993Apr20.123456.1@bony1.bony.com>")
        #expect(d.source == "\(path):1")
        #expect(d.title == "Re: The encryption debate continues")  // folded header unfolded
        #expect(R.iso(d) == "1993-04-20T16:34:56Z")
        #expect(R.body(d) == "The encryption algorithm is secret.\nNobody can check it.")
        #expect(d.fields["Newsgroups"] == ["talk.politics.mideast", "soc.culture.israel", "talk.politics.misc"])
        #expect(d.fields["organization"] == ["The Department of Redundancy Department"])
        #expect(d.fields["from"] == ["jake@bony1.bony.com (Jake Livni)"])
        #expect(d.fields["X-Missing"] == nil)
    }

    @Test func keepQuotesAndKeepSignatures() throws {
        var o = ReaderOptions()
        o.keepQuotes = true
        let q = try Self.read(Self.usenet, o).docs[0]
        #expect(R.body(q).hasPrefix("In article <1993Apr19.1@cs.example.edu> smith@cs.example.edu (John Smith) writes:\n>In article"))
        #expect(R.body(q).contains(">>>Third level quote about keys."))
        #expect(!R.body(q).contains("Jake Livni"))
        o.keepQuotes = false
        o.keepSignatures = true
        let s = try Self.read(Self.usenet, o).docs[0]
        #expect(!R.body(s).contains("quote"))
        #expect(R.body(s).hasSuffix("Nobody can check it.\n\n-- \nJake Livni  jake@bony1.bony.com   Ten years from now, George Bush will\nAmerican Department of Misinformation."))
    }

    @Test func quotesBetweenParagraphsLeaveASentenceBreak() throws {
        let text = """
            From: a@example.com
            Subject: interleaved
            Date: 2 Apr 1993 21:22:59 GMT

            On Fri, 2 Apr 1993, Bob Jones
            wrote:
            > question one
            Answer one
            | piped quote
            Answer two
            """
        let d = try Self.read(text).docs[0]
        #expect(R.body(d) == "Answer one\n\nAnswer two")  // wrapped attribution gone, no join across a quote
        #expect(R.iso(d) == "1993-04-02T21:22:59Z")
    }

    @Test func onlyQuotesGivesAnEmptyBody() throws {
        let text = "From: a@example.com\nSubject: Re: me too\n\nbob@example.com wrote:\n> all of it\n>> quoted\n"
        let (docs, diag, _) = try Self.read(text)
        #expect(diag.warningCount == 0, "\(diag.messages)")
        try #require(docs.count == 1)
        #expect(docs[0].body.isEmpty)
        #expect(docs[0].title == "Re: me too")
    }

    @Test func messageWithoutDateIsUndatedEvenWithADatedFileName() throws {
        let (docs, diag, _) = try Self.read("From: a@example.com\nSubject: no date\n\nbody\n", name: "1993-04-02-post.eml")
        #expect(diag.warningCount == 0)
        #expect(docs.count == 1 && docs[0].date == nil)
        #expect(docs[0].id.hasSuffix("1993-04-02-post.eml:1"))  // no Message-ID: file:line
    }

    @Test(arguments: [
        ("Tue, 20 Apr 1993 12:34:56 -0400", "1993-04-20T16:34:56Z"),
        ("20 Apr 93 12:34:56 GMT", "1993-04-20T12:34:56Z"),
        ("Mon, 5 Apr 1993 18:01:16 EDT", "1993-04-05T22:01:16Z"),
        ("Mon, 05 Apr 93 10:00 PST", "1993-04-05T18:00:00Z"),
        ("Thu, 1 Jan 2004 00:00:00 +0000 (UTC)", "2004-01-01T00:00:00Z"),
    ])
    func rfc5322Dates(date: String, iso: String) throws {
        let d = try Self.read("Date: \(date)\nSubject: d\n\nx\n").docs[0]
        #expect(R.iso(d) == iso)
    }

    @Test func badDateIsReportedWithItsLine() throws {
        let (docs, diag, path) = try Self.read("Subject: s\nFrom: a@b\nDate: someday soon\n\nx\n")
        #expect(docs[0].date == nil)
        #expect(diag.messages.contains("\(path):3: unparseable date \"someday soon\""), "\(diag.messages)")
    }

    @Test func crlfLineEndsAndFoldedHeaders() throws {
        let (docs, _, _) = try Self.read(Self.usenet, crlf: true)
        try #require(docs.count == 1)
        #expect(docs[0].title == "Re: The encryption debate continues")
        #expect(R.body(docs[0]) == "The encryption algorithm is secret.\nNobody can check it.")
    }

    @Test func multipartAlternativeTakesTheTextPlainPart() throws {
        let text = """
            From: a@example.com
            Subject: alt
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="=_b1"

            preamble is ignored
            --=_b1
            Content-Type: text/html; charset=utf-8

            <p>HTML version</p>
            --=_b1
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Plain version, caf=C3=A9 and a soft=
             break.
            --=_b1--
            epilogue is ignored
            """
        let (docs, diag, _) = try Self.read(text)
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(R.body(docs[0]) == "Plain version, café and a soft break.")
    }

    @Test func htmlOnlyMessageReadsItsTextWithoutTags() throws {
        let text = "Subject: h\nFrom: a@b\nContent-Type: text/html\n\n<html><body><p>Hello <b>world</b> &amp; all</p></body></html>\n"
        #expect(R.body(try Self.read(text).docs[0]) == "Hello world & all")
    }

    @Test func multipartMixedTakesEveryTextPartAndSkipsAttachments() throws {
        let text = """
            From: a@example.com
            Subject: mixed
            Content-Type: multipart/mixed; boundary=XYZ

            --XYZ
            Content-Type: text/plain; charset=iso-8859-1
            Content-Transfer-Encoding: 8bit

            Premi\u{00E8}re partie.
            --XYZ
            Content-Type: application/octet-stream
            Content-Transfer-Encoding: base64

            AAECAwQF
            --XYZ
            Content-Type: text/plain
            Content-Disposition: attachment; filename="notes.txt"

            attached text is skipped
            --XYZ
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            U2Vjb25kZSBwYXJ0aWUsIGTDqWrDoC4=
            --XYZ--
            """
        // The first part is ISO-8859-1 bytes: write it so.
        var bytes = Array(text.utf8)
        let utf8e = Array("\u{00E8}".utf8)
        if let k = bytes.firstRange(of: utf8e) { bytes.replaceSubrange(k, with: [0xE8]) }
        let (docs, diag, _) = try Self.read(bytes: bytes)
        #expect(diag.warningCount == 0, "\(diag.messages)")
        #expect(R.body(docs[0]) == "Première partie.\n\nSeconde partie, déjà.")
    }

    @Test(arguments: [
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),
        ("=?UTF-8?B?w6l0w6k=?= =?UTF-8?B?IGNow6k=?=", "été ché"),
        ("=?utf-8?q?a_b?=  =?utf-8?q?_c?=", "a b c"),
        ("=?iso-8859-2?Q?=A3=F3d=BC?=", "Łódź"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("=?UTF-8?B?5pel5pys?=語", "日本語"),
        ("Plain =?bogus", "Plain =?bogus"),
        ("=?UTF-8?Q?split_=E6=97?= =?UTF-8?Q?=A5?=", "split 日"),
    ])
    func rfc2047Subjects(raw: String, title: String) throws {
        let d = try Self.read("From: a@b\nSubject: \(raw)\n\nx\n").docs[0]
        #expect(d.title == title)
    }

    @Test func charsetsIso88591Utf8AndUnknown() throws {
        var latin = Array("Subject: l\nFrom: a@b\nContent-Type: text/plain; charset=\"ISO-8859-1\"\n\nna".utf8)
        latin += [0xEF, 0x76, 0x65, 0x20, 0x93, 0x71, 0x94, 10]  // naïve “q” (0x93/0x94 as Windows-1252)
        #expect(R.body(try Self.read(bytes: latin).docs[0]) == "naïve \u{201C}q\u{201D}")
        let utf = "Subject: u\nFrom: a@b\nContent-Type: text/plain; charset=utf-8\n\nnaïve 日本\n"
        #expect(R.body(try Self.read(utf).docs[0]) == "naïve 日本")
        // No charset, 8-bit bytes that are not UTF-8: Windows-1252.
        let raw: [UInt8] = Array("Subject: r\nFrom: a@b\n\ncaf".utf8) + [0xE9, 10]
        #expect(R.body(try Self.read(bytes: raw).docs[0]) == "café")
        // An unknown charset: a note with file:line, the text read as unlabelled (nothing lost).
        let unknown: [UInt8] = Array("Subject: x\nFrom: a@b\nContent-Type: text/plain; charset=x-martian\n\ncaf".utf8) + [0xE9, 10]
        let (docs, diag, path) = try Self.read(bytes: unknown)
        #expect(R.body(docs[0]) == "café")
        #expect(diag.messages.contains { $0.hasPrefix("\(path):1: unknown charset \"x-martian\"") }, "\(diag.messages)")
    }

    @Test func mboxWithThreeMessagesAndAnEscapedFromLine() throws {
        let mbox = """
            From alice@example.com Tue Apr 20 12:00:00 1993
            From: alice@example.com
            Subject: first
            Date: Tue, 20 Apr 1993 12:00:00 +0000
            Message-ID: <1@example.com>

            First body.
            >From the start, this line was escaped.
            >>From two levels.

            From bob@example.com Wed Apr 21 12:00:00 1993
            From: bob@example.com
            Subject: second
            Date: Wed, 21 Apr 1993 12:00:00 +0000

            Second body.
            From here on an unescaped line that is not a separator.

            From carol@example.com Thu Apr 22 12:00:00 1993
            From: carol@example.com
            Subject: third

            Third body.

            """
        for chunk in [4096, 1 << 20] {
            var o = ReaderOptions(chunkSize: chunk)
            o.fields = ["from"]
            o.keepQuotes = true  // `>From two levels.` is a quote once unescaped
            let (docs, diag, path) = try Self.read(mbox, name: "box.mbox", o)
            #expect(diag.warningCount == 0, "\(diag.messages)")
            try #require(docs.count == 3)
            #expect(docs.map(\.title) == ["first", "second", "third"])
            #expect(docs.map(\.source) == ["\(path):1", "\(path):11", "\(path):19"])
            #expect(docs[0].id == "<1@example.com>" && docs[1].id == "\(path):11")
            #expect(R.body(docs[0]) == "First body.\nFrom the start, this line was escaped.\n>From two levels.")
            #expect(R.body(docs[1]) == "Second body.\nFrom here on an unescaped line that is not a separator.")
            #expect(docs.map { $0.date.map(DateParser.isoDay) } == ["1993-04-20", "1993-04-21", nil])
            #expect(docs.map { $0.fields["from"] ?? [] } == [["alice@example.com"], ["bob@example.com"], ["carol@example.com"]])
        }
    }

    @Test func bigMboxIsFramedIntoSeveralChunksWithRightLines() throws {
        var text = ""
        for k in 0..<300 {
            text += "From u\(k)@example.com Tue Apr 20 12:00:00 1993\nSubject: m\(k)\nFrom: u\(k)@example.com\n\n"
            text += String(repeating: "line of message \(k)\n", count: k % 7 + 1) + "\n"
        }
        let dir = try R.tempDir()
        let path = try R.write(dir, "big.mbox", text)
        let (docs, chunks, diag) = try R.readChunked([path], ReaderOptions(chunkSize: 4096))
        #expect(diag.warningCount == 0)
        #expect(chunks > 5)
        try #require(docs.count == 300)
        var line = 1
        for k in 0..<300 {
            #expect(docs[k].title == "m\(k)")
            #expect(docs[k].source == "\(path):\(line)")
            #expect(R.body(docs[k]) == String(repeating: "line of message \(k)\n", count: k % 7 + 1).dropLast())
            line += 4 + k % 7 + 1 + 1
        }
        #expect(Set(docs.map(\.ordinal)).count == 300)
    }

    @Test func malformedMimeKeepsWhatDecodesAndWarns() throws {
        let text = """
            Subject: broken
            From: a@b
            Content-Type: multipart/mixed; boundary=B

            --B
            Content-Type: text/plain
            Content-Transfer-Encoding: base64

            SGVsbG8g!!d29y
            bGQ
            --B
            Content-Type: text/plain
            Content-Transfer-Encoding: quoted-printable

            bad =ZZ escape=3D ok
            """
        let (docs, diag, path) = try Self.read(text)
        try #require(docs.count == 1)
        #expect(R.body(docs[0]) == "Hello world\n\nbad =ZZ escape= ok")
        let m = diag.messages
        #expect(m.contains("\(path):1: multipart body without its closing boundary --B--: the parts found are kept"), "\(m)")
        #expect(m.contains("\(path):6: 2 bytes outside the base64 alphabet skipped"), "\(m)")
        #expect(m.contains("\(path):12: 1 malformed quoted-printable escape kept as written"), "\(m)")
    }

    @Test func multipartWithoutBoundaryIsReadAsText() throws {
        let (docs, diag, _) = try Self.read("Subject: s\nFrom: a@b\nContent-Type: multipart/mixed\n\njust text\n")
        #expect(R.body(docs[0]) == "just text")
        #expect(diag.messages.contains { $0.contains("multipart/mixed without a boundary parameter") })
    }

    @Test func uuencodedBlocksAreLeftOut() throws {
        let text = "Subject: uu\nFrom: a@b\n\nHere is the file.\n\nbegin 644 x.bin\nM9V%R8F%G92!G87)B86=E(&=A<F)A9V4@9V%R8F%G92!G87)B86=E(&=A<F)A\n`\nend\n\nThat was it.\n"
        #expect(R.body(try Self.read(text).docs[0]) == "Here is the file.\n\nThat was it.")
    }

    @Test(arguments: [
        ("From: a@b\nSubject: x\n\nbody", true),
        ("From someone Tue Apr 20 1993\nFrom: a@b\n\nbody", true),
        ("Path: a!b\nNewsgroups: sci.crypt\nLines: 3\n\nbody", true),
        ("Title: My essay\nAuthor: me\n\nbody", false),  // no mail header name
        ("Subject: only one field\n\nbody", false),
        ("Note: this is text\nwith words\n", false),
        ("February 12, 2022\nA title\nbody", false),
        ("{\"text\": \"x\"}", false),
    ])
    func contentSniffing(head: String, isMail: Bool) {
        #expect(Email.looksLikeMessage(ArraySlice(head.utf8)) == isMail)
    }

    @Test func folderReadsNumberedPostsAndSkipsOtherExtensionlessFiles() throws {
        let dir = try R.tempDir()
        try R.write(dir, "sci.crypt/15190", "From: a@b\nSubject: one\nDate: 20 Apr 93 12:34:56 GMT\n\nfirst\n")
        try R.write(dir, "sci.crypt/15191", "From: c@d\nSubject: two\n\nsecond\n")
        try R.write(dir, "sci.crypt/Makefile", "all:\n\tcc x.c\n")
        let (docs, diag) = try R.read([dir.path])
        #expect(docs.map(\.title) == ["one", "two"])
        #expect(diag.messages.contains { $0.contains("1 file without a document extension skipped (sci.crypt/Makefile)") }, "\(diag.messages)")
    }

    @Test func articleFormatIsUntouchedByTheSniffer() throws {
        let (docs, _, _) = try Self.read("February 12, 2022\nA title\n\nSubject: body text\nFrom: here\n", name: "a.txt")
        #expect(docs[0].title == "A title")
    }

    @Test func decodersOnTheirOwn() {
        #expect(Email.decodeQuotedPrintable(ArraySlice("a=3Db=\r\nc= \n=e9".utf8)).bytes == Array("a=bc".utf8) + [0xE9])
        #expect(Email.decodeBase64(ArraySlice("YW Jj\nZA==".utf8)).bytes == Array("abcd".utf8))
        #expect(Email.decodeBase64(ArraySlice("YWJjZ".utf8)).truncated)
        // RFC 2231 parameter values (msg_33 of CPython's set), folded quoted parameters.
        let ct = Email.contentType(Array("Multipart/Signed; micalg=pgp-sha1;\t boundary*=us-ascii'en'Ee%41x; charset=\"a;b\"".utf8), default: .textPlain)
        #expect(ct.type == "multipart" && ct.subtype == "signed" && ct.params["boundary"] == "EeAx" && ct.params["charset"] == "a;b")
        #expect(Email.contentType(Array("bogus".utf8), default: .messageRFC822) == .messageRFC822)
        let mp = Array("--b\nx\n--b\ny\n--b--\n".utf8)
        let split = Email.splitMultipart(mp, 0..<mp.count, boundary: Array("b".utf8))
        #expect(split.parts.map { String(decoding: mp[$0], as: UTF8.self) } == ["x", "y"] && split.closed)
    }
}
