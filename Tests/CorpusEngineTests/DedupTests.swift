import CorpusCore
import CorpusEngine
import CorpusICU
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic stream of well-mixed 64-bit values (the hashes of "seed-i").
struct Stream {
    var seed: UInt64
    var i = 0
    init(state: UInt64) { seed = state }
    mutating func next() -> UInt64 {
        i += 1
        return MinHash.termHash("\(seed)-\(i)")
    }
}

/// `n` words w0…: a vocabulary for built documents.
func words(_ n: Int, seed: UInt64) -> [String] {
    var g = Stream(state: seed)
    return (0..<n).map { _ in "w" + String(g.next() % 1_000_000_000, radix: 36) }
}

/// A signature chunk of documents given as texts (tokens split on spaces, like lower-case ASCII text).
func chunk(_ docs: [(ordinal: Int, text: String)]) throws -> SignatureChunk {
    let normalizer = try TokenNormalizer()
    var c = SignatureChunk()
    for d in docs {
        c.ordinals.append(d.ordinal)
        c.exactKeys.append(ExactKey.of(d.text, normalizer: normalizer))
        let shingles = MinHash.shingles(d.text.lowercased().split(separator: " ").map { MinHash.termHash(String($0)) })
        c.hasShingles.append(!shingles.isEmpty)
        c.minhashes += shingles.isEmpty ? [UInt8](repeating: 0, count: MinHash.size) : MinHash.signature(shingles)
        c.ids.append("d\(d.ordinal)")
        c.sources.append("test:\(d.ordinal + 1)")
    }
    return c
}

/// A text of `n` distinct words, and a copy with `edits` words replaced by new ones, spaced 10 apart
/// (each edit changes 5 of the 5-shingles: Jaccard = (S − 5e) / (S + 5e) for S shingles).
func editedPair(words n: Int, edits: Int, seed: UInt64) -> (String, String) {
    let w = words(n + edits, seed: seed)
    var copy = Array(w[0..<n])
    for e in 0..<edits { copy[10 + 10 * e] = w[n + e] }
    return (w[0..<n].joined(separator: " "), copy.joined(separator: " "))
}

func shingleJaccard(_ a: String, _ b: String) -> Double {
    let sa = Set(MinHash.shingles(a.split(separator: " ").map { MinHash.termHash(String($0)) }))
    let sb = Set(MinHash.shingles(b.split(separator: " ").map { MinHash.termHash(String($0)) }))
    return Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
}

@Suite("Duplicates: MinHash, exact keys, resolution")
struct DedupTests {
    @Test("MinHash estimates the Jaccard similarity of built sets", arguments: [0.0, 0.2, 0.5, 0.8, 0.9, 0.95, 1.0])
    func estimate(_ jaccard: Double) {
        var g = Stream(state: UInt64(jaccard * 1000) + 7)
        for _ in 0..<5 {
            let union = 400, shared = Int((jaccard * Double(union)).rounded())
            let common = (0..<shared).map { _ in g.next() }
            let onlyA = (0..<((union - shared) / 2)).map { _ in g.next() }
            let onlyB = (0..<(union - shared - onlyA.count)).map { _ in g.next() }
            let truth = Double(shared) / Double(union)
            let est = MinHash.similarity(MinHash.signature(common + onlyA), MinHash.signature(common + onlyB))
            // 256 hash functions: the standard error is at most 0.032; 0.13 is four of them.
            #expect(abs(est - truth) <= 0.13, "estimate \(est) for Jaccard \(truth)")
        }
    }

    @Test("MinHash is unbiased over many pairs (mean error under 0.01 at 0.8)")
    func unbiased() {
        var g = Stream(state: 42)
        var sum = 0.0
        for _ in 0..<200 {
            let common = (0..<160).map { _ in g.next() }
            let a = common + (0..<20).map { _ in g.next() }, b = common + (0..<20).map { _ in g.next() }
            sum += MinHash.similarity(MinHash.signature(a), MinHash.signature(b)) - 0.8
        }
        #expect(abs(sum / 200) < 0.01)
    }

    @Test("Edited copies: Jaccard 0.95 is found at 0.9, 0.8 is not")
    func editedCopies() throws {
        for seed in UInt64(1)...10 {
            let (a, near) = editedPair(words: 394, edits: 2, seed: seed)
            let (b, far) = editedPair(words: 454, edits: 10, seed: seed + 100)
            #expect(abs(shingleJaccard(a, near) - 0.95) < 0.001)
            #expect(abs(shingleJaccard(b, far) - 0.8) < 0.001)
            let r = Dedup.resolve([try chunk([(0, a), (1, near), (2, b), (3, far)])], mode: .near, threshold: 0.9)
            #expect(r.dropped == OrdinalSet([1]), "seed \(seed)")
        }
    }

    @Test("Shingles: runs of five tokens; a shorter document is one shingle; order matters")
    func shingles() {
        let h = (0..<7).map { MinHash.termHash("t\($0)") }
        #expect(MinHash.shingles(h).count == 3)
        #expect(MinHash.shingles(Array(h[0..<3])).count == 1)
        #expect(MinHash.shingles([]).isEmpty)
        #expect(MinHash.shingles(Array(h[0..<5])) != MinHash.shingles(Array(h[0..<5].reversed())))
    }

    struct KeyCase: Sendable, CustomStringConvertible {
        var a: String
        var b: String
        var same: Bool
        var description: String { "\(a.debugDescription) vs \(b.debugDescription)" }
    }

    static let keyCases: [KeyCase] = [
        KeyCase(a: "Oil prices rose", b: "oil  prices\n\nrose", same: true),
        KeyCase(a: "  OIL PRICES ROSE \t\n", b: "oil prices rose", same: true),
        KeyCase(a: "oil\u{00A0}prices\u{3000}rose", b: "oil prices rose", same: true),
        KeyCase(a: "oil\u{2028}prices\u{0085}rose", b: "oil prices rose", same: true),
        KeyCase(a: "Ｏｉｌ prices rose", b: "oil prices rose", same: true),
        KeyCase(a: "STRASSE", b: "straße", same: true),
        KeyCase(a: "oil prices rose.", b: "oil prices rose", same: false),
        KeyCase(a: "oilprices rose", b: "oil prices rose", same: false),
        KeyCase(a: "oil prices fell", b: "oil prices rose", same: false),
        KeyCase(a: "", b: " \n ", same: true),
    ]

    @Test("Exact keys: case, width and white space do not count; anything else does", arguments: keyCases)
    func exactKeys(_ c: KeyCase) throws {
        let n = try TokenNormalizer()
        #expect((ExactKey.of(c.a, normalizer: n) == ExactKey.of(c.b, normalizer: n)) == c.same)
    }

    @Test("White space collapses to single spaces, trimmed")
    func collapse() {
        var t = Array(" a \t\n b\u{2003}\u{2003}c  ".utf8)
        ExactKey.collapseWhiteSpace(&t)
        #expect(String(decoding: t, as: UTF8.self) == "a b c")
    }

    @Test("Resolution keeps the first in input order, whatever the chunks' order; clusters in input order")
    func keepsFirst() throws {
        let (a, near) = editedPair(words: 394, edits: 2, seed: 3)
        let (b, far) = editedPair(words: 454, edits: 10, seed: 4)
        let docs: [(Int, String)] = [(0, b), (1, a), (2, a.uppercased()), (3, near), (4, far), (5, b), (6, "x y"), (7, "X  Y")]
        let expected: [[Int]] = [[0, 5], [1, 2, 3], [6, 7]]
        // One chunk in order, and the same documents spread over three chunks out of order (as workers see them).
        let layouts: [[[Int]]] = [[[0, 1, 2, 3, 4, 5, 6, 7]], [[5, 3], [7, 0, 2], [4, 1, 6]]]
        for layout in layouts {
            let chunks = try layout.map { try chunk($0.map { docs[$0] }) }
            let r = Dedup.resolve(chunks, mode: .near, threshold: 0.9)
            #expect(r.clusters.map { $0.map(\.ordinal) } == expected)
            #expect(r.dropped == OrdinalSet([2, 3, 5, 7]))
            #expect(r.exactDropped == 3)
            for c in r.clusters {
                #expect(c[0].similarity == 1)
                for m in c { #expect(chunks[m.chunk].ordinals[m.row] == m.ordinal) }
            }
            #expect(r.clusters[1].map(\.similarity)[1] == 1)
            #expect(r.clusters[1][2].similarity >= 0.9 && r.clusters[1][2].similarity < 1)
            let exact = Dedup.resolve(chunks, mode: .exact, threshold: 0.9)
            #expect(exact.clusters.map { $0.map(\.ordinal) } == [[0, 5], [1, 2], [6, 7]])
        }
    }

    @Test("A near copy of a dropped document joins the kept one; the threshold 1 keeps edited copies")
    func chains() throws {
        let (a, near) = editedPair(words: 394, edits: 2, seed: 5)
        let c = try chunk([(0, a), (1, near), (2, near + " ")])
        let r = Dedup.resolve([c], mode: .near, threshold: 0.9)
        #expect(r.clusters.map { $0.map(\.ordinal) } == [[0, 1, 2]])
        #expect(r.clusters[0][1].similarity == r.clusters[0][2].similarity)
        #expect(Dedup.resolve([c], mode: .near, threshold: 1).clusters.map { $0.map(\.ordinal) } == [[1, 2]])
    }

    @Test("Banding finds a pair at the threshold with probability 0.9999", arguments: [0.05, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0])
    func banding(_ t: Double) {
        let (rows, bands) = MinHash.banding(threshold: t)
        #expect(rows * bands <= MinHash.size)
        if t >= 0.1 { #expect(1 - pow(1 - pow(t, Double(rows)), Double(bands)) >= 0.9999) }
        if t == 0.9 { #expect(rows == 8 && bands == 17) }
    }

    @Test("Ordinal sets")
    func ordinalSet() {
        var s = OrdinalSet([3, 64, 1000, 3])
        #expect(s.count == 3 && s.contains(64) && s.contains(1000) && !s.contains(65) && !s.contains(-1) && !s.contains(1 << 40))
        s.insert(0)
        #expect(s.contains(0) && s.count == 4)
    }

    @Test("The engine: signatures are the same for any number of workers, and skipped documents count nowhere")
    func engine() throws {
        let (a, near) = editedPair(words: 200, edits: 1, seed: 9)
        let texts = [a, "other words here", near, a, "Other  WORDS here"]
        var plan = AnalysisPlan()
        plan.dedupSignatures = DedupSignatureRequest(mode: .near, names: true)
        var clusters: [[[Int]]] = []
        for jobs in [1, 3] {
            let stats = try run(plan, texts, jobs: jobs)
            clusters.append(Dedup.resolve(stats.signatures, mode: .near, threshold: 0.9).clusters.map { $0.map(\.ordinal) })
        }
        #expect(clusters[0] == [[0, 2, 3], [1, 4]])
        #expect(clusters[1] == clusters[0])
        var skipping = AnalysisPlan()
        skipping.skipOrdinals = OrdinalSet([2, 3, 4])
        let stats = try run(skipping, texts, jobs: 2)
        let kept = try run(AnalysisPlan(), [a, "other words here"])
        #expect(stats.documents == 2 && stats.totalTokens == kept.totalTokens && termTable(stats) == termTable(kept))
    }
}
