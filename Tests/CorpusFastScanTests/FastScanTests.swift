import CorpusFastScan
import CorpusICU
import CorpusTestSupport
import FoundationEssentials
import Testing

@Suite("Fast path: start-up probing and locales")
struct FastPathSetupTests {
    @Test("root is on and its classes are ICU 72's (@ is a letter, : is not MidLetter)")
    func rootOn() throws {
        #expect(try FastScan.availability(locale: "") == .on)
        let table = try #require(try FastScan.table(for: ""))
        #expect(table.cls(0x61) == FastClass.aLetter)
        #expect(table.cls(0x31) == FastClass.numeric)
        #expect(table.cls(0x5F) == FastClass.extendNumLet)
        #expect(table.cls(0x2E) == FastClass.midNumLet)
        #expect(table.cls(0x20) == FastClass.wSegSpace)
        #expect(table.cls(0xA0) == FastClass.other)
        #expect(table.cls(0x2603) == FastClass.nonFast)
        if ICUInfo.icuVersion.hasPrefix("72.") {
            #expect(table.cls(0x40) == FastClass.aLetter, "ICU 72: @ behaves as a letter")
            #expect(table.cls(0x3A) == FastClass.other, "ICU 72 root: : is not MidLetter")
        }
        print("ICU \(ICUInfo.icuVersion) fast classes:\n\(table.summary)")
    }

    @Test("locales with root rules are on; tailored ones are off", arguments: [
        ("", true), ("root", true), ("en", true), ("en_US", true), ("en_GB", true), ("de", true), ("fr", true),
        ("sv", false), ("fi", false), ("sv_SE", false), ("en_US_POSIX", false), ("en@ss=standard", false),
    ])
    func locales(locale: String, on: Bool) throws {
        let s = try FastScan.makeSegmenter(locale: locale)
        let why = try FastScan.availability(locale: locale)
        #expect((s != nil) == on, "\(locale): \(why)")
    }

    @Test("sv keeps ':' as MidLetter: plain ICU joins a:b there, which the root fast path would not")
    func swedishColon() throws {
        let sv = try ICUWordSegmenter(locale: "sv")
        #expect(sv.segments("a:b").count == 1)
        #expect(try FastScan.makeSegmenter(locale: "sv") == nil)
    }

    @Test("the self-test passes for the probed root table and is cached")
    func selfTest() throws {
        let table = try #require(try FastScan.table(for: ""))
        #expect(try FastProbe.selfTest(table, locale: "") == nil)
        #expect(try FastScan.table(for: "") === table)
    }
}

@Suite("Fast path equals ICU")
struct FastPathDifferentialTests {
    @Test("hand-picked cases", arguments: [
        "", "a", "1", "_", "__", "1_", "1__", "a1", "1a", "a_1", "_a", "a@b.c", "@", "a:b", "1:2", "a.b.c", "1.5", "1,5",
        "a,b", "a'b", "a’b", "a‘b", "gov't", "U.S.", "3.14", "e-mail", "  x  ", "a\r\nb", "\r\r\n\n", "a\u{0301}b",
        "a.\u{0301}b", " \u{0301}", "\n\u{0301}", "x\u{200D}y", "soft\u{AD}hyphen", "東京は晴れ", "naïve café",
        "Ｆｕｌｌ-width ﬁ U.S. gov't 3.14 東京は晴れ", "ภาษาไทย ok", "שלום a\"b", "א\"ב", "👍🏻 ok", "🇺🇸🇫🇷", "x…y", "a\u{A0}b",
        "“quoted” – dash — dash", "1.a", "a.1", "1.5.a", "a1.5", ".a", "a.", "'a'", "a''b", "\t\t", "\u{0B}\u{0C}", "\0",
    ])
    func cases(text: String) throws {
        let d = try Differ.root()
        d.check(Array(text.utf8), "case")
        #expect(d.mismatches == 0, "\(d.report)")
    }

    @Test("every WordBreakTest.txt string, alone and in contexts", .enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func wordBreakTest() throws {
        let strings = try wordBreakTestStrings()
        #expect(strings.count == 1823)
        let d = try Differ.root()
        let contexts: [[UInt32]] = [[], [0x61], [0x31], [0x20], [0x61, 0x2E], [0x0A], [0xE9], [0x78, 0x27], [0x5F], [0x301], [0x3A]]
        for (k, s) in strings.enumerated() {
            for l in contexts {
                for r in contexts {
                    d.check(utf8(l + s + r), "WordBreakTest string \(k + 1) with context \(l) … \(r)")
                }
            }
        }
        #expect(d.mismatches == 0, "\(d.report)")
        print("WordBreakTest differential: \(d.report)")
    }

    @Test("whole corpora: Reuters (Latin-1), udhr2, inaugural, state_union, UD", .enabled(if: TestPaths.hasCorpora, Comment(rawValue: corporaMissingMessage)))
    func corpora() throws {
        let d = try Differ.root()
        var files = 0
        for (label, bytes) in try corpusTexts() {
            d.check(bytes, label)
            files += 1
        }
        #expect(files > 500)
        #expect(d.mismatches == 0, "\(d.report)")
        print("corpus differential: \(d.report); \(d.fast.bytesToICU) bytes went to ICU")
    }

    @Test("seeded fuzz (CORPUSKIT_FUZZ_COUNT strings, default 1,000,000)")
    func fuzz() throws {
        let d = try Differ.root()
        var rng = SplitMix64(seed: 0x5EED_C0DE_F00D)
        var s: [UInt8] = []
        let n = fuzzCount(default: 1_000_000)
        for k in 0..<n {
            FuzzAlphabet.string(&rng, into: &s)
            d.check(s, "fuzz string \(k)")
        }
        #expect(d.texts == n)
        #expect(d.mismatches == 0, "\(d.report)")
        print("fuzz: \(d.report)")
    }

    @Test("seeded fuzz over invalid UTF-8 bytes too (no crash, same as ICU's U+FFFD handling)")
    func fuzzInvalid() throws {
        let d = try Differ.root()
        var rng = SplitMix64(seed: 42)
        var s: [UInt8] = []
        let bad: [[UInt8]] = [[0x80], [0xFF], [0xC3], [0xE2, 0x80], [0xE2], [0xC2, 0x41], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF]]
        for k in 0..<max(1, fuzzCount(default: 1_000_000) / 20) {
            FuzzAlphabet.string(&rng, into: &s)
            let at = Int(rng.next() % UInt64(s.count + 1))
            s.insert(contentsOf: bad[Int(rng.next() % UInt64(bad.count))], at: at)
            d.check(s, "invalid fuzz string \(k)")
        }
        #expect(d.mismatches == 0, "\(d.report)")
    }

    @Test("long mixed text: handoffs in the middle of a big buffer")
    func longMixed() throws {
        let d = try Differ.root()
        var rng = SplitMix64(seed: 7)
        var text: [UInt8] = []
        var s: [UInt8] = []
        for _ in 0..<20_000 {
            FuzzAlphabet.string(&rng, into: &s)
            text.append(contentsOf: s)
        }
        d.check(text, "long mixed text")
        #expect(d.mismatches == 0, "\(d.report)")
    }
}

@Suite("Mutation check: a misclassified character is caught")
struct FastPathMutationTests {
    static let mutations: [(UInt32, UInt8)] = [
        (0x3A, FastClass.midLetter),   // ':' as MidLetter (what sv/fi do, not root)
        (0x40, FastClass.other),       // '@' as punctuation (UAX #29, not ICU 72)
        (0x2C, FastClass.midNumLet),   // ',' as MidNumLet
        (0xA0, FastClass.wSegSpace),   // NBSP as a space
    ]

    @Test("the self-test rejects the mutated table", arguments: mutations.indices)
    func selfTestCatches(index: Int) throws {
        let (scalar, cls) = Self.mutations[index]
        let table = try #require(try FastScan.table(for: ""))
        guard table.cls(scalar) != cls else { return }  // not a mutation on this ICU
        let mutated = table.with(scalar, as: cls)
        let m = try FastProbe.selfTest(mutated, locale: "")
        #expect(m != nil)
    }

    @Test("the fuzz and WordBreakTest differential catch ':' as MidLetter")
    func differentialCatches() throws {
        let table = try #require(try FastScan.table(for: ""))
        #expect(table.cls(0x3A) != FastClass.midLetter)
        let d = try Differ(fast: FastWordSegmenter(table: table.with(0x3A, as: FastClass.midLetter), locale: ""))
        var rng = SplitMix64(seed: 0x5EED_C0DE_F00D)
        var s: [UInt8] = []
        for k in 0..<20_000 {
            FuzzAlphabet.string(&rng, into: &s)
            d.check(s, "fuzz string \(k)")
        }
        #expect(d.mismatches > 0, "the mutation went unnoticed by 20,000 fuzz strings")
        if TestPaths.hasCorpora {
            let w = try Differ(fast: FastWordSegmenter(table: table.with(0x3A, as: FastClass.midLetter), locale: ""))
            for s in try wordBreakTestStrings() { w.check(utf8(s), "WordBreakTest") }
            #expect(w.mismatches > 0)
        }
        print("mutation ':' → MidLetter: \(d.mismatches) of \(d.texts) fuzz strings differ from ICU")
    }

    @Test("a wrong rule status is caught too (1_ as a letter token)")
    func statusMutation() throws {
        let table = try #require(try FastScan.table(for: ""))
        var st = table.statuses
        let k = FastClass.statusKey(prev: FastClass.numeric, mid: 0, last: FastClass.extendNumLet)
        st[k] = st[k] == 200 ? 100 : 200
        let mutated = table.with(statuses: st, singleStatus: table.singleStatus, spaceRunStatus: table.spaceRunStatus, crlfStatus: table.crlfStatus)
        #expect(try FastProbe.selfTest(mutated, locale: "") != nil)
        let d = try Differ(fast: FastWordSegmenter(table: mutated, locale: ""))
        d.check(Array("1_ x".utf8), "1_")
        #expect(d.mismatches == 1)
    }
}

@Suite("Fast path: letters 8 bytes at a time")
struct LetterSkipTests {
    @Test("letterBytes marks exactly the ASCII letters, every byte value at every position", arguments: 0..<8)
    func everyByte(position: Int) {
        for v in 0..<256 {
            // The other bytes: a letter, a digit, a space, a non-ASCII byte in turn.
            let fill: [UInt8] = [0x61, 0x35, 0x20, 0xC3]
            var bytes = (0..<8).map { fill[$0 % fill.count] }
            bytes[position] = UInt8(v)
            let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            let m = FastWordSegmenter.letterBytes(w)
            for k in 0..<8 {
                let b = bytes[k]
                let isLetter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                #expect((m >> UInt64(8 * k + 7)) & 1 == (isLetter ? 1 : 0), "byte \(b) at \(k)")
            }
            #expect(m & ~0x8080_8080_8080_8080 == 0)
        }
    }

    @Test("the root table allows the letter skip; a table where a letter is not a word character does not")
    func guarded() throws {
        let table = try #require(try FastScan.table(for: ""))
        #expect(table.lettersAreWords)
        #expect(!table.with(0x71, as: FastClass.other).lettersAreWords)
    }
}
