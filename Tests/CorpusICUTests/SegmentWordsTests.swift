import CorpusICU
import Testing

/// `segmentWords` (what the tokenizer asks for) is `segment` with the non-word segments left out — for
/// ICU's iterator through the protocol's default, as for the fast path (tested against ICU in
/// CorpusFastScanTests' differential).
@Suite("Word segments only")
struct SegmentWordsTests {
    @Test("ICU: segmentWords = segment's segments with status >= 100", arguments: [
        "", " ", "a", "Hello, world! 3.14 gov't", "東京は晴れ。ภาษาไทย ok", "  \r\n\t x ", "👍🏻 — “quoted” U.S.",
    ])
    func icu(text: String) throws {
        let s = try ICUWordSegmenter(locale: "")
        var all: [WordSegment] = [], words: [WordSegment] = []
        var t = text
        t.withUTF8 { s.segment($0, into: &all) }
        t.withUTF8 { s.segmentWords($0, into: &words) }
        #expect(words == all.filter { $0.isToken })
        #expect(words.allSatisfy { $0.isToken })
        if text.contains(where: { $0.isLetter }) { #expect(!words.isEmpty) }
    }
}
