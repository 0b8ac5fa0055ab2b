import CorpusICU
import Testing

/// docs/definitions.md "Sentences": hard line wraps are undone for sentence segmentation only.
@Suite("Sentences with hard wraps undone")
struct SentenceUnwrapTests {
    @Test("line breaks read as spaces only when alone", arguments: [
        // (text, unwrapped)
        ("no break at all", "no break at all"),
        ("stock\nmarket", "stock market"),
        ("stock\r\nmarket", "stock  market"),
        ("stock\rmarket", "stock market"),
        ("stock \n market", "stock   market"),
        ("one\n\ntwo", "one\n\ntwo"),
        ("one\r\n\r\ntwo", "one\r\n\r\ntwo"),
        ("one\n  \t\ntwo", "one\n  \t\ntwo"),
        ("one\r\rtwo", "one\r\rtwo"),
        ("a\nb\n\nc\nd", "a b\n\nc d"),
        ("\nlead", " lead"),
        ("trail\n", "trail "),
        ("trail\n\n", "trail\n\n"),
    ])
    func unwrap(_ text: String, _ expected: String) {
        #expect(SentenceUnwrap.unwrap(text) == expected)
        #expect(SentenceUnwrap.unwrap(text).utf8.count == text.utf8.count)
    }

    @Test("a hard-wrapped paragraph is one sentence; a blank line still ends one")
    func sentences() throws {
        let wrapped = "The stock\nmarket fell sharply on\r\nMonday in heavy\rtrading.\n   \nNew paragraph here."
        let unwrap = try ICUSentenceSegmenter()
        let plain = try ICUSentenceSegmenter(mode: .plain)
        let ends = unwrap.boundaries(wrapped).map(Int.init)
        let bytes = Array(wrapped.utf8)
        func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
        // The wrapped sentence ends at the blank line; the line of spaces is a sentence without a token
        // (ICU ends one at each of its line breaks); then the new paragraph.
        #expect(ends.count == 3)
        #expect(text(0, ends[0]) == "The stock\nmarket fell sharply on\r\nMonday in heavy\rtrading.\n")
        #expect(text(ends[0], ends[1]) == "   \n")
        #expect(text(ends[1], ends[2]) == "New paragraph here.")
        // ICU's plain rules end a sentence at every line break.
        #expect(plain.boundaries(wrapped).count == 6)
    }
}
