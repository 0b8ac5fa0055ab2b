import CorpusCore
import CorpusFastScan
import CorpusICU
import CorpusTestSupport
import FoundationEssentials

/// Runs ICU and a fast segmenter on the same bytes and counts texts whose segments differ.
final class Differ {
    let icu: ICUWordSegmenter
    let fast: FastWordSegmenter
    private var a: [WordSegment] = []
    private var b: [WordSegment] = []
    private var words: [WordSegment] = []
    private(set) var texts = 0
    private(set) var bytes = 0
    private(set) var segments = 0
    private(set) var mismatches = 0
    /// The first few mismatches, described.
    private(set) var examples: [String] = []

    init(fast: FastWordSegmenter, locale: String = "") throws {
        icu = try ICUWordSegmenter(locale: locale)
        self.fast = fast
    }

    /// The real fast path for root, as the engine gets it.
    static func root() throws -> Differ {
        let s = try FastScan.makeSegmenter(locale: "")
        guard let fast = s as? FastWordSegmenter else { throw TestFailure("the fast path is off for root: \(try FastScan.availability(locale: ""))") }
        return try Differ(fast: fast)
    }

    @discardableResult
    func check(_ text: UnsafeBufferPointer<UInt8>, _ label: @autoclosure () -> String) -> Bool {
        icu.segment(text, into: &a)
        fast.segment(text, into: &b)
        fast.segmentWords(text, into: &words)
        texts += 1
        bytes += text.count
        segments += a.count
        // The words-only variant (the tokenizer's) must give exactly ICU's word segments.
        let wordsMatch = words == a.filter(\.isToken)
        if a == b && wordsMatch { return true }
        mismatches += 1
        if a == b {
            if examples.count < 5 { examples.append("\(label()): segmentWords differs from ICU's word segments") }
        } else if examples.count < 5 {
            var k = 0
            while k < a.count && k < b.count && a[k] == b[k] { k += 1 }
            let at = Int(k < a.count ? a[k].start : (k < b.count ? b[k].start : 0))
            let lo = max(0, at - 30), hi = min(text.count, at + 30)
            let context = FastProbe.describe(Array(text[lo..<hi]))
            examples.append("\(label()) at byte \(at) (context \(context) from \(lo)): ICU \(k < a.count ? a[k].description : "-") vs fast \(k < b.count ? b[k].description : "-")")
        }
        return false
    }

    @discardableResult
    func check(_ text: [UInt8], _ label: @autoclosure () -> String) -> Bool {
        text.withUnsafeBufferPointer { check($0, label()) }
    }

    var report: String {
        "\(texts) texts, \(bytes) bytes, \(segments) ICU segments, \(mismatches) mismatching texts" +
            (examples.isEmpty ? "" : "\n" + examples.joined(separator: "\n"))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// SplitMix64: a small seeded generator, the same sequence on every platform.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func utf8(_ scalars: [UInt32]) -> [UInt8] {
    var s = String.UnicodeScalarView()
    for v in scalars { s.append(Unicode.Scalar(v)!) }
    return Array(String(s).utf8)
}

/// The fuzz alphabet, in groups: each string draws a group at random, then a piece from it.
enum FuzzAlphabet {
    static let letters = (0x61...0x7A).map { [UInt32($0)] } + (0x41...0x5A).map { [UInt32($0)] }
    static let digits = (0x30...0x39).map { [UInt32($0)] }
    static let punctuation = Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars).map { [$0.value] }
    static let spaces: [[UInt32]] = [[0x20], [0x20], [0x20, 0x20], [0x0A], [0x09], [0x0D], [0x0D, 0x0A], [0x0B], [0x0C], [0x00], [0x7F]]
    static let latin: [[UInt32]] = [[0xE9], [0xDF], [0xD8], [0xAA], [0xB5], [0xFF], [0xC0], [0xBA], [0xF1],
                                    [0xA0], [0x2018], [0x2019], [0x201C], [0x201D], [0x2013], [0x2014], [0x2026]]
    static let tricky: [[UInt32]] = [
        [0x301], [0x308], [0x200D], [0xAD], [0x200B], [0x2060], [0xFE0F], [0xB7], [0x85], [0x2028], [0x2029],
        [0x3000], [0xFF1A], [0xFE55], [0x2024], [0xFF0E], [0xFF11], [0x663], [0x966],
        [0x65E5, 0x672C], [0x65E5], [0x306F], [0x30A2], [0x30FC], [0xFF71], [0x3031],
        [0xE01], [0xE02], [0xE44], [0xE01, 0xE32, 0xE23], [0xE81], [0x1780], [0x1000],
        [0x5D0], [0x5D1], [0x5F3], [0x5F4], [0x628], [0x44F], [0x3B1], [0x915, 0x94D],
        [0x1F600], [0x1F44D], [0x1F3FB], [0x261D], [0x1F468, 0x200D, 0x1F469], [0x1F1FA], [0x1F1F8], [0x1F1E6],
        [0xA9], [0xAE], [0x2122], [0x20AC], [0xA3], [0xD7], [0xF7], [0xBF], [0xA1], [0xAB], [0xBB],
        [0x10000], [0xFFFD], [0x1D400],
    ]
    static let groups: [(weight: Int, pieces: [[UInt32]])] = [
        (30, letters), (12, digits), (22, punctuation), (14, spaces), (8, latin), (14, tricky),
    ]
    static let total = groups.reduce(0) { $0 + $1.weight }

    static func piece(_ rng: inout SplitMix64) -> [UInt32] {
        var r = Int(rng.next() % UInt64(total))
        for g in groups {
            if r < g.weight { return g.pieces[Int(rng.next() % UInt64(g.pieces.count))] }
            r -= g.weight
        }
        return letters[0]
    }

    /// Encoded pieces (UTF-8) for speed.
    static let encodedGroups: [(weight: Int, pieces: [[UInt8]])] = groups.map { ($0.weight, $0.pieces.map(utf8)) }

    /// Appends a short random string (1–12 pieces) to `out`.
    static func string(_ rng: inout SplitMix64, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        let n = 1 + Int(rng.next() % 12)
        for _ in 0..<n {
            var r = Int(rng.next() % UInt64(total))
            for g in encodedGroups {
                if r < g.weight {
                    out.append(contentsOf: g.pieces[Int(rng.next() % UInt64(g.pieces.count))])
                    break
                }
                r -= g.weight
            }
        }
    }
}

/// The number of fuzz strings: `CORPUSKIT_FUZZ_COUNT` when set, else `defaultCount`.
func fuzzCount(default defaultCount: Int) -> Int {
    if let v = ProcessInfo.processInfo.environment["CORPUSKIT_FUZZ_COUNT"], let n = Int(v), n > 0 { return n }
    return defaultCount
}

/// Every corpus text of the differential test, as UTF-8: (label, bytes).
func corpusTexts() throws -> [(String, [UInt8])] {
    var out: [(String, [UInt8])] = []
    let fm = FileManager.default
    func files(_ dir: String, _ ext: String) throws -> [URL] {
        let url = TestPaths.corpus(dir)
        return try fm.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(ext) }.sorted().map { url.appendingPathComponent($0) }
    }
    func read(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
    // Reuters: Latin-1, each byte decoded as U+00XX.
    for f in try files("reuters21578", ".sgm") {
        var b: [UInt8] = []
        let raw = try read(f)
        b.reserveCapacity(raw.count + 64)
        for x in raw {
            if x < 0x80 { b.append(x) } else { b.append(0xC0 | (x >> 6)); b.append(0x80 | (x & 0x3F)) }
        }
        out.append(("reuters21578/" + f.lastPathComponent, b))
    }
    for dir in ["udhr2", "inaugural", "state_union"] {
        for f in try files(dir, ".txt") {
            let raw = try read(f)
            out.append((dir + "/" + f.lastPathComponent, UTF8Repair.repair(raw)?.bytes ?? raw))
        }
    }
    // UD: the raw CoNLL-U files, and their sentence texts joined by spaces.
    for f in try files("ud-segmentation", ".conllu") {
        let raw = try read(f)
        let repaired = UTF8Repair.repair(raw)?.bytes ?? raw
        out.append(("ud-segmentation/" + f.lastPathComponent, repaired))
        var texts: [UInt8] = []
        for line in String(decoding: repaired, as: UTF8.self).split(separator: "\n") where line.hasPrefix("# text = ") {
            if !texts.isEmpty { texts.append(0x20) }
            texts.append(contentsOf: line.dropFirst(9).utf8)
        }
        out.append(("ud-segmentation/" + f.lastPathComponent + " (# text lines)", texts))
    }
    return out
}

/// The strings of WordBreakTest.txt (each as scalars).
func wordBreakTestStrings() throws -> [[UInt32]] {
    let content = String(decoding: try Data(contentsOf: TestPaths.corpus("unicode-15.0-tests/WordBreakTest.txt")), as: UTF8.self)
    var out: [[UInt32]] = []
    for line in content.split(separator: "\n") {
        let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let scalars = body.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { UInt32($0, radix: 16) }
        if !scalars.isEmpty { out.append(scalars) }
    }
    return out
}
