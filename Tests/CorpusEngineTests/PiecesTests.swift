import CorpusCore
import CorpusEngine
import Testing

/// Documents of any size are tokenized in bounded pieces cut at certain boundaries (issue 19): the tokens
/// never change; sentences change only where a sentence is longer than half a piece.
@Suite("Tokenizing in pieces")
struct PiecesTests {
    func strings(_ text: String, piece: Int) throws -> ([String], [Int32]) {
        let t = try Tokenizer(options: TokenizerOptions())
        t.pieceBytes = piece
        var out = TokenizedText()
        var s = text
        s.withUTF8 { t.tokenize($0, sentences: true, into: &out) }
        return (out.terms.map { t.vocabulary.string($0) }, out.sentenceStarts)
    }

    static let texts: [String] = [
        // paragraphs separated by blank lines: pieces end at the blank lines, nothing changes
        (0..<40).map { "Paragraph \($0) has Ünïcode, numbers 3.14 and U.S. words.\n\n" }.joined(),
        // one long line of words: pieces end between a space and a word; tokens unchanged
        String(repeating: "oil price a b c d e f g h ", count: 60),
        // hard-wrapped lines without blank lines; CR LF line ends; CJK and emoji
        (0..<50).map { "line \($0) of 東京は晴れ text 😀 wrapped\r\n" }.joined(),
    ]

    @Test("tokens are the same whatever the piece size", arguments: texts)
    func sameTokens(_ text: String) throws {
        let whole = try strings(text, piece: 1 << 30)
        for piece in [64, 100, 257, 1000] {
            #expect(try strings(text, piece: piece).0 == whole.0)
        }
    }

    @Test("sentences are the same when pieces end at blank lines")
    func sameSentences() throws {
        let text = Self.texts[0]
        let whole = try strings(text, piece: 1 << 30)
        #expect(whole.1.count >= 40)  // at least one sentence a paragraph
        for piece in [128, 300] { #expect(try strings(text, piece: piece).1 == whole.1) }
    }
}
