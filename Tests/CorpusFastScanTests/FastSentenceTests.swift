import CorpusFastScan
import CorpusICU
import CorpusTestSupport
import FoundationEssentials
import Testing

/// Runs plain ICU and the fast sentence segmenter (as the engine gets it) on the same bytes, in one mode.
final class SentenceDiffer {
    let icu: ICUSentenceSegmenter
    let fast: FastSentenceSegmenter
    private var a: [Int32] = []
    private var b: [Int32] = []
    private(set) var texts = 0
    private(set) var bytes = 0
    private(set) var sentences = 0
    private(set) var mismatches = 0
    private(set) var examples: [String] = []

    init(mode: SentenceBreakMode, locale: String = "") throws {
        icu = try ICUSentenceSegmenter(locale: locale, mode: mode)
        guard let f = try FastScan.makeSentenceSegmenter(locale: locale, mode: mode) else {
            throw TestFailure("the sentence fast path is off for \"\(locale)\": \(try FastScan.sentenceAvailability(locale: locale))")
        }
        fast = f
    }

    @discardableResult
    func check(_ text: UnsafeBufferPointer<UInt8>, _ label: @autoclosure () -> String) -> Bool {
        icu.boundaries(text, into: &a)
        fast.boundaries(text, into: &b)
        texts += 1
        bytes += text.count
        sentences += a.count
        if a == b { return true }
        mismatches += 1
        if examples.count < 5 {
            var k = 0
            while k < a.count && k < b.count && a[k] == b[k] { k += 1 }
            let at = Int(min(k < a.count ? a[k] : Int32(text.count), k < b.count ? b[k] : Int32(text.count)))
            let lo = max(0, at - 30), hi = min(text.count, at + 30)
            examples.append("\(label()) [\(icu.mode)] at byte \(at) (context \(FastProbe.describe(Array(text[lo..<hi]))) from \(lo)): " +
                            "ICU \(k < a.count ? String(a[k]) : "-") vs fast \(k < b.count ? String(b[k]) : "-")")
        }
        return false
    }

    @discardableResult
    func check(_ text: [UInt8], _ label: @autoclosure () -> String) -> Bool {
        text.withUnsafeBufferPointer { check($0, label()) }
    }

    var report: String {
        "\(icu.mode): \(texts) texts, \(bytes) bytes, \(sentences) ICU sentences, \(mismatches) mismatching texts, " +
            "\(fast.bytesToICU) bytes went to ICU" + (examples.isEmpty ? "" : "\n" + examples.joined(separator: "\n"))
    }
}

/// One differ per mode.
func sentenceDiffers() throws -> [SentenceDiffer] {
    try SentenceBreakMode.allCases.map { try SentenceDiffer(mode: $0) }
}

@Suite("ICU-exact sentence fast path")
struct FastSentenceTests {
    @Test("tricky ASCII cases: identical to ICU in both modes, decided without ICU", arguments: [
        "Mr. Smith went to Washington.", "U.S. officials said on Monday. They left.", "He cited e.g. the rules.",
        "Prices rose 3.5 percent. Oil fell.", "He said \"the end.\" Then he left.", "It was over (the end.) Then",
        "What?! Really? Yes!", "Apples, pears etc.) and more.", "Wait... what happened... Nothing.", "Wait... What now",
        "it ended. and then it went on.", "The year was 1987. 1988 came.", "line one.\r\nLine two.\r\nline three",
        "line one.\rLine two.\rline three", "para one.\n\n\n\nPara two.\n\n", "end.  \t \nNext one.  \n \t\nLast",
        "trailing text without terminator", "", "   ", " \t\n\r\n  \n", "\n", "\r\n", "\r", "a.\n", "a.\nb", "a.\nB",
        "wrapped line\nanother line.\nThird", "Hi!\"' (said he) And?", "x. - y", "A.B.C. Next", "No.5 is here",
        "The U.S.\nGovernment said", "one;\n\ntwo", "a. 1\n2\n\nB", "x. (1\n-\n \n\nY z", "a.\r\n\r\nb", "a. \n b", "He said: \"Go.\"\n\n(Then) left.",
    ])
    func tricky(text: String) throws {
        for d in try sentenceDiffers() {
            d.check(Array(text.utf8), "case")
            #expect(d.mismatches == 0, "\(d.report)")
            #expect(d.fast.bytesToICU == 0, "ASCII text went to ICU in \(d.icu.mode) mode")
        }
    }

    @Test("expected boundaries of a few cases (the ICU reference itself, pinned)", arguments: [
        ("Mr. Smith left. He came back.", SentenceBreakMode.plain, [4, 16, 29]),
        ("U.S. officials said.", .plain, [20]),
        ("one\ntwo", .plain, [4, 7]),
        ("one\ntwo", .unwrap, [7]),
        ("one.\n\ntwo", .unwrap, [5, 6, 9]),
        ("a.\r\nB", .plain, [4, 5]),
        ("Why? No.", .unwrap, [5, 8]),
    ])
    func pinned(text: String, mode: SentenceBreakMode, expected: [Int32]) throws {
        let fast = try #require(try FastScan.makeSentenceSegmenter(locale: "", mode: mode))
        #expect(fast.boundaries(text) == expected)
        #expect(try ICUSentenceSegmenter(locale: "", mode: mode).boundaries(text) == expected)
    }

    @Test("root-rule locales are on; tailored ones and keywords are off", arguments: [
        ("", true), ("root", true), ("en", true), ("en_US", true), ("de", true), ("fr", true), ("ja", true),
        ("el", false), ("en@ss=standard", false), ("de@ss=standard", false),
    ])
    func locales(locale: String, on: Bool) throws {
        #expect((try FastScan.makeSentenceSegmenter(locale: locale, mode: .unwrap) != nil) == on)
        #expect((try FastScan.sentenceAvailability(locale: locale) == .on) == on)
    }

    @Test("el: plain ICU differs from root (';' ends a Greek sentence), which is why el is off")
    func greekIsTailored() throws {
        let text = "Τι; Ναι."
        let el = try ICUSentenceSegmenter(locale: "el", mode: .plain).boundaries(text)
        let root = try ICUSentenceSegmenter(locale: "", mode: .plain).boundaries(text)
        #expect(el != root)
    }

    @Test("the self-test passes with ICU's classes")
    func selfTest() throws {
        let classes = try #require(try FastScan.sentenceClasses(for: ""))
        #expect(classes == SentenceClass.table())
        #expect(classes[Int(UInt8(ascii: "."))] == SentenceClass.aTerm)
        #expect(classes[Int(UInt8(ascii: "?"))] == SentenceClass.sTerm)
        #expect(classes[Int(UInt8(ascii: "\""))] == SentenceClass.close)
        #expect(classes[0x80] == SentenceClass.unsure)
        #expect(try FastSentenceSelfTest.run(classes: classes, locale: "") == nil)
    }

    static let mutations: [(UInt8, UInt8)] = [
        (UInt8(ascii: "."), SentenceClass.other), (UInt8(ascii: "."), SentenceClass.sTerm),
        (UInt8(ascii: "!"), SentenceClass.aTerm), (UInt8(ascii: ")"), SentenceClass.other),
        (UInt8(ascii: ","), SentenceClass.other), (UInt8(ascii: " "), SentenceClass.other),
        (UInt8(ascii: "a"), SentenceClass.upper), (UInt8(ascii: "Q"), SentenceClass.lower),
        (UInt8(ascii: "7"), SentenceClass.other), (UInt8(ascii: "\n"), SentenceClass.sp),
        (UInt8(ascii: "-"), SentenceClass.other), (UInt8(ascii: ":"), SentenceClass.other),
        (UInt8(ascii: "\t"), SentenceClass.other), (UInt8(ascii: "\r"), SentenceClass.other),
    ]

    @Test("the self-test rejects a wrong class", arguments: mutations.indices)
    func selfTestCatches(index: Int) throws {
        var classes = SentenceClass.table()
        let (byte, wrong) = Self.mutations[index]
        #expect(classes[Int(byte)] != wrong)
        classes[Int(byte)] = wrong
        #expect(try FastSentenceSelfTest.run(classes: classes, locale: "") != nil)
    }

    @Test("the design's claim: ICU over pieces cut after each paragraph separator equals ICU over the whole")
    func paragraphCuts() throws {
        let icu = try ICUSentenceSegmenter(locale: "", mode: .plain)
        var rng = SplitMix64(seed: 0x5E47)
        var checked = 0
        for _ in 0..<5_000 {
            let bytes = randomSentenceText(&rng, pieces: 24)
            let whole = bytes.withUnsafeBufferPointer { b -> [Int32] in var o: [Int32] = []; icu.boundaries(b, into: &o); return o }
            var pieces: [Int32] = []
            var start = 0, i = 0
            while i <= bytes.count {
                var end = -1
                if i == bytes.count { end = i } else if bytes[i] == 0x0A { end = i + 1 } else if bytes[i] == 0x0D {
                    end = i + 1 < bytes.count && bytes[i + 1] == 0x0A ? i + 2 : i + 1
                }
                if end >= 0 {
                    if end > start {
                        var o: [Int32] = []
                        bytes[start..<end].withUnsafeBufferPointer { icu.boundaries($0, into: &o) }
                        pieces += o.map { $0 + Int32(start) }
                        checked += 1
                    }
                    start = end
                    i = max(end, i + 1)
                } else { i += 1 }
            }
            #expect(whole == pieces, "\(FastProbe.describe(bytes))")
            if whole != pieces { break }
        }
        #expect(checked > 10_000)
    }

    @Test("seeded random strings (20,000 over . ! ? \" ' ( ) , ; : - a A 1 space tab LF CR and a few non-ASCII letters)")
    func random() throws {
        var rng = SplitMix64(seed: 0x5E17_7E4C_E5)
        let ds = try sentenceDiffers()
        var asciiTexts = 0, asciiToICU = 0
        for k in 0..<fuzzCount(default: 20_000) {
            let s = randomSentenceText(&rng, pieces: 1 + Int(rng.next() % 16))
            let ascii = s.allSatisfy { $0 < 0x80 }
            if ascii { asciiTexts += 1 }
            for d in ds {
                let before = d.fast.bytesToICU
                d.check(s, "random string \(k)")
                if ascii { asciiToICU += d.fast.bytesToICU - before }
            }
        }
        for d in ds { #expect(d.mismatches == 0, "\(d.report)") }
        // ASCII text is decided by the fast path itself, never handed to ICU.
        #expect(asciiTexts > 3_000)
        #expect(asciiToICU == 0)
    }

    @Test("every SentenceBreakTest.txt line, alone and in contexts, both modes", .enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func sentenceBreakTest() throws {
        let content = String(decoding: try Data(contentsOf: TestPaths.corpus("unicode-15.0-tests/SentenceBreakTest.txt")), as: UTF8.self)
        var strings: [[UInt32]] = []
        for line in content.split(separator: "\n") {
            let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let scalars = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0, radix: 16) }
            if !scalars.isEmpty { strings.append(scalars) }
        }
        #expect(strings.count == 502)
        let contexts: [[UInt32]] = [[], [0x61, 0x2E, 0x20], [0x41, 0x2E], [0x0A], [0x20, 0x62], [0x2E, 0x22, 0x20, 0x41]]
        let ds = try sentenceDiffers()
        for (k, s) in strings.enumerated() {
            for l in contexts {
                for r in contexts {
                    for d in ds { d.check(utf8(l + s + r), "SentenceBreakTest line \(k + 1) with context \(l) … \(r)") }
                }
            }
        }
        for d in ds {
            #expect(d.mismatches == 0, "\(d.report)")
            print("SentenceBreakTest differential: \(d.report)")
        }
    }

    @Test("every Reuters document and every UDHR file, both modes", .enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func corpora() throws {
        let ds = try sentenceDiffers()
        var documents = 0, udhr = 0
        for (label, bytes) in try corpusTexts() {
            if label.hasPrefix("reuters21578/") {
                // Each <REUTERS …> … </REUTERS> element on its own, as the engine sees a document's text.
                for (k, doc) in reutersDocuments(bytes).enumerated() {
                    for d in ds { d.check(doc, "\(label) document \(k)") }
                    documents += 1
                }
            } else if label.hasPrefix("udhr2/") {
                for d in ds { d.check(bytes, label) }
                udhr += 1
            }
        }
        #expect(documents == 21_578)
        #expect(udhr > 300)
        for d in ds {
            #expect(d.mismatches == 0, "\(d.report)")
            print("corpus differential: \(d.report)")
        }
    }
}

/// The slices of a Reuters SGML file from each `<REUTERS` to the next.
func reutersDocuments(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    let tag = Array("<REUTERS".utf8)
    var starts: [Int] = []
    var i = 0
    while i + tag.count <= bytes.count {
        if bytes[i] == tag[0] && bytes[i..<(i + tag.count)].elementsEqual(tag) { starts.append(i); i += tag.count } else { i += 1 }
    }
    return starts.enumerated().map { k, s in bytes[s..<(k + 1 < starts.count ? starts[k + 1] : bytes.count)] }
}

extension SentenceDiffer {
    @discardableResult
    func check(_ text: ArraySlice<UInt8>, _ label: @autoclosure () -> String) -> Bool {
        text.withUnsafeBufferPointer { check($0, label()) }
    }
}

/// The random-string alphabet: sentence punctuation, letters of each case, digits, spaces and line breaks,
/// and a few non-ASCII letters (which send their paragraph to ICU).
let sentencePieces: [[UInt8]] = [".", "!", "?", "\"", "'", "(", ")", ",", ";", ":", "-", "a", "A", "1", " ", "\t", "\n", "\r",
                                 ".", ".", " ", " ", "a", "b", "Z", "é", "É", "ß", "…"].map { Array($0.utf8) }

func randomSentenceText(_ rng: inout SplitMix64, pieces: Int) -> [UInt8] {
    var s: [UInt8] = []
    for _ in 0..<pieces { s += sentencePieces[Int(rng.next() % UInt64(sentencePieces.count))] }
    return s
}
