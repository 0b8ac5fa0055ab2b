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
        let ends = unwrap.boundaries(wrapped)
        // Two sentences: up to the blank line, then the paragraph after it.
        #expect(ends.count == 2)
        #expect(ends.last == Int32(wrapped.utf8.count))
        let firstEnd = Int(ends[0])
        #expect(String(decoding: Array(wrapped.utf8)[..<firstEnd], as: UTF8.self).hasSuffix("   \n"))
        // ICU's plain rules end a sentence at every line break.
        #expect(plain.boundaries(wrapped).count == 5)
    }
}
