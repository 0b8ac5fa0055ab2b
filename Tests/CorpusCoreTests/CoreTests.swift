import CorpusCore
import Testing

@Suite("UTF-8 repair")
struct UTF8RepairTests {
    @Test("valid UTF-8 needs no repair", arguments: ["", "ascii only", "Ünïcödé 東京 🎉", String(repeating: "a", count: 100) + "é"])
    func valid(_ s: String) {
        #expect(UTF8Repair.repair(Array(s.utf8)) == nil)
    }

    @Test("maximal subparts become U+FFFD, offsets reported", arguments: [
        // (bytes, expected string, offsets)
        ([0x61, 0xFF, 0x62] as [UInt8], "a\u{FFFD}b", [1]),
        ([0xE2, 0x82, 0x61], "\u{FFFD}a", [0]),  // truncated 3-byte sequence: one replacement
        ([0xC0, 0xAF], "\u{FFFD}\u{FFFD}", [0, 1]),  // overlong: each byte
        ([0xED, 0xA0, 0x80], "\u{FFFD}\u{FFFD}\u{FFFD}", [0, 1, 2]),  // surrogate
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xE9], "abcdefgh\u{FFFD}", [8]),  // Latin-1 é after an ASCII word
        ([0xF0, 0x9F, 0x8E], "\u{FFFD}", [0]),
    ])
    func repaired(_ bytes: [UInt8], _ expected: String, _ offsets: [Int]) throws {
        let r = try #require(UTF8Repair.repair(bytes))
        #expect(String(decoding: r.bytes, as: UTF8.self) == expected)
        #expect(r.invalidOffsets == offsets)
        // Swift's own decoder substitutes the same maximal subparts.
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }
}

@Suite("Documents")
struct DocumentTests {
    @Test("analyzed text is the title, a blank line, then the body")
    func analyzedText() {
        let d = Document(id: "1", source: "f:1", title: "Title", body: Array("Body".utf8))
        #expect(String(decoding: d.analyzedText, as: UTF8.self) == "Title\n\nBody")
        #expect(d.analyzedByteCount == d.analyzedText.count)
        let e = Document(id: "2", source: "f:2", title: "", body: Array("Body".utf8))
        #expect(e.analyzedText == Array("Body".utf8))
    }

    @Test("strict diagnostics throw; lenient ones count")
    func diagnostics() {
        let lenient = Diagnostics(strict: false, echo: false)
        #expect(throws: Never.self) { try lenient.warn(.skipped, at: "a.jsonl:3", "malformed JSON") }
        #expect(lenient.count(.skipped) == 1)
        #expect(lenient.messages == ["a.jsonl:3: malformed JSON"])
        let strict = Diagnostics(strict: true, echo: false)
        #expect(throws: CorpusError.self) { try strict.warn(.badDate, at: "a.jsonl:4", "unparseable date") }
        #expect(throws: Never.self) { try strict.warn(.note, at: "", "a note is never fatal") }
    }
}
