@testable import CorpusEngine
import CorpusCore
import CorpusTestSupport
import Testing

/// The vocabulary's 16-byte slots (hash tag, length, id, first 8 bytes inline) and the tokenizer's masked
/// 8-byte tail: ids must be dense, stable and exact for every length, whatever bytes two terms share.
@Suite("Vocabulary")
struct VocabularyTests {
    /// Terms that share their first 8 bytes, differ only in length or in a zero byte, or are long.
    static let tricky: [[UInt8]] = [
        [], [0], [0, 0], Array("a".utf8), Array("a\u{0}".utf8), Array("abcdefg".utf8), Array("abcdefgh".utf8),
        Array("abcdefghi".utf8), Array("abcdefghj".utf8), Array("abcdefgh\u{0}".utf8),
        Array("abcdefghijklmnop".utf8), Array("abcdefghijklmnoq".utf8),
        [UInt8](repeating: 120, count: 254), [UInt8](repeating: 120, count: 255), [UInt8](repeating: 120, count: 256),
        [UInt8](repeating: 120, count: 300), [UInt8](repeating: 120, count: 300) + [121],
        Array("straße".utf8), Array("東京".utf8),
    ]

    @Test("every tricky term gets its own id, found again by intern and lookup, with its bytes")
    func tricky() {
        let v = Vocabulary(capacity: 4)
        var ids: [TermID] = []
        for t in Self.tricky { ids.append(v.intern(t)) }
        #expect(ids == (0..<TermID(Self.tricky.count)).map { $0 }, "dense ids in first-seen order")
        for (t, id) in zip(Self.tricky, ids) {
            #expect(v.intern(t) == id)
            #expect(v.lookup(t) == id)
            #expect(Array(v.bytes(id)) == t)
        }
        #expect(v.lookup(Array("abcdefgk".utf8)) == nil)
        #expect(v.lookup(Array("abcdefghk".utf8)) == nil)
        #expect(v.lookup([UInt8](repeating: 120, count: 257)) == nil)
    }

    @Test("ids survive growth: 200,000 terms, then every one is found with its id")
    func growth() {
        let v = Vocabulary(capacity: 16)
        func term(_ i: Int) -> [UInt8] { Array("t\(i)-\(i % 7 == 0 ? "longer-than-eight-bytes" : "")".utf8) }
        for i in 0..<200_000 { #expect(v.intern(term(i)) == TermID(i)) }
        #expect(v.count == 200_000)
        for i in stride(from: 0, to: 200_000, by: 997) {
            #expect(v.lookup(term(i)) == TermID(i))
            #expect(Array(v.bytes(TermID(i))) == term(i))
        }
    }

    @Test("tokens of every length 1–20, at the end of the text and before more text, are the same terms",
          arguments: 1...20)
    func maskedTail(length: Int) throws {
        let word = String(repeating: "Ab", count: 10).prefix(length)
        let tok = try Tokenizer(options: TokenizerOptions())
        var out = TokenizedText()
        // Alone (the word's tail is the last bytes of the text), then with text after it, then twice.
        for text in [String(word), String(word) + " tail", "x " + word + " " + word] {
            var s = text
            s.withUTF8 { tok.tokenize($0, sentences: false, into: &out) }
            let terms = out.terms.map { tok.vocabulary.string($0) }
            #expect(terms.contains(word.lowercased()), "\(text): \(terms)")
        }
        // One id for the word wherever it stood.
        #expect(tok.vocabulary.lookup(word.lowercased()) != nil)
        #expect(tok.tokens(of: String(word)) == [word.lowercased()])
        #expect(tok.vocabulary.count == 3, "the word, tail and x: \(tok.vocabulary.count)")
    }
}
