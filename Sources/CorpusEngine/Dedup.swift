import CorpusCore
import CorpusICU
#if canImport(Glibc)
import Glibc
#endif

/// `--dedup`: which duplicates are dropped before counting (docs/definitions.md "Duplicates").
public enum DedupMode: String, Sendable, CaseIterable {
    /// The same analyzed text after normalization and white-space collapsing (`ExactKey`).
    case exact
    /// MinHash over word 5-shingles: estimated Jaccard similarity at or above the threshold (`MinHash`).
    case near
}

/// What a signature pass records per document (`AnalysisPlan.dedupSignatures`).
public struct DedupSignatureRequest: Sendable, Equatable {
    public var mode: DedupMode
    /// Keep each document's id and source too (`dups` lists them; `--dedup` does not need them).
    public var names: Bool

    public init(mode: DedupMode, names: Bool = false) {
        self.mode = mode
        self.names = names
    }
}

/// A set of document ordinals, one bit each (`AnalysisPlan.skipOrdinals`): 1M documents take 125 KB.
public struct OrdinalSet: Sendable, Equatable {
    private var words: [UInt64] = []
    /// Ordinals in the set.
    public private(set) var count = 0

    public init() {}

    public init<S: Sequence>(_ ordinals: S) where S.Element == Int {
        for o in ordinals { insert(o) }
    }

    public mutating func insert(_ ordinal: Int) {
        guard ordinal >= 0 else { return }
        let w = ordinal >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w + 1 - words.count)) }
        let bit: UInt64 = 1 << UInt64(ordinal & 63)
        if words[w] & bit == 0 {
            words[w] |= bit
            count += 1
        }
    }

    @inline(__always)
    public func contains(_ ordinal: Int) -> Bool {
        let w = ordinal >> 6
        guard ordinal >= 0 && w < words.count else { return false }
        return words[w] & (1 << UInt64(ordinal & 63)) != 0
    }
}

/// The key of exact duplicates: the analyzed text normalized as a whole the way tokens are (NFKC_Casefold
/// by default, with the run's `--strip-accents` and apostrophe folding), every run of Unicode White_Space
/// replaced by one space, leading and trailing white space removed; compared by a 128-bit hash of that text.
public struct ExactKey: Hashable, Sendable {
    public var a: UInt64
    public var b: UInt64

    public init(a: UInt64, b: UInt64) {
        self.a = a
        self.b = b
    }

    /// The key of `text` (valid UTF-8); `scratch` is reused between calls.
    public static func of(_ text: UnsafeBufferPointer<UInt8>, normalizer: TokenNormalizer, scratch: inout [UInt8]) -> ExactKey {
        scratch.removeAll(keepingCapacity: true)
        normalizer.normalize(text, into: &scratch)
        let n = collapseWhiteSpace(&scratch)
        return scratch.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress, n > 0 else { return ExactKey(a: 0, b: 0) }
            // Two unrelated 64-bit hashes: the engine's byte hash and FNV-1a.
            var fnv: UInt64 = 0xCBF2_9CE4_8422_2325
            for i in 0..<n { fnv = (fnv ^ UInt64(base[i])) &* 0x0000_0100_0000_01B3 }
            return ExactKey(a: Hash.bytes(base, n), b: Hash.mix(fnv ^ UInt64(n)))
        }
    }

    /// The key of a string (tests, small inputs).
    public static func of(_ text: String, normalizer: TokenNormalizer) -> ExactKey {
        var s = text
        var scratch: [UInt8] = []
        return s.withUTF8 { of($0, normalizer: normalizer, scratch: &scratch) }
    }

    /// Replaces each run of White_Space characters in `text` (UTF-8) by one space and drops leading and
    /// trailing ones, in place; returns the new length (the array is truncated to it).
    @discardableResult
    public static func collapseWhiteSpace(_ text: inout [UInt8]) -> Int {
        var out = 0, i = 0
        var pendingSpace = false
        let n = text.count
        while i < n {
            let w = whiteSpaceLength(text, at: i)
            if w > 0 {
                pendingSpace = out > 0
                i += w
                continue
            }
            if pendingSpace {
                text[out] = 32
                out += 1
                pendingSpace = false
            }
            text[out] = text[i]
            out += 1
            i += 1
        }
        text.removeLast(n - out)
        return out
    }

    /// Bytes of the White_Space character at `i` (Unicode's property: ASCII tab to CR and space, U+0085,
    /// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), else 0.
    @inline(__always)
    static func whiteSpaceLength(_ t: [UInt8], at i: Int) -> Int {
        let b = t[i]
        if b == 32 || (b >= 9 && b <= 13) { return 1 }
        if b < 0xC2 { return 0 }
        if b == 0xC2, i + 1 < t.count, t[i + 1] == 0x85 || t[i + 1] == 0xA0 { return 2 }
        guard i + 2 < t.count else { return 0 }
        let c = t[i + 1], d = t[i + 2]
        switch b {
        case 0xE1: return c == 0x9A && d == 0x80 ? 3 : 0
        case 0xE2:
            if c == 0x80 && (d <= 0x8A || d == 0xA8 || d == 0xA9 || d == 0xAF) { return 3 }
            return c == 0x81 && d == 0x9F ? 3 : 0
        case 0xE3: return c == 0x80 && d == 0x80 ? 3 : 0
        default: return 0
        }
    }
}

/// MinHash signatures of word shingles (Broder 1997) stored as 8-bit values (b-bit minwise hashing,
/// Li & König 2010): `size` hash functions, each keeping the low 8 bits of a remix of its minimum.
public enum MinHash {
    /// Hash functions per signature (= bytes per signature).
    public static let size = 256
    /// Tokens per shingle.
    public static let shingleLength = 5
    /// The chance that two different minima agree in 8 bits (corrected for in `similarity`).
    static let collision = 1.0 / 256.0

    /// Hash function i is x ↦ (x ⊕ seeds[i]) · multipliers[i] mod 2⁶⁴ on the (already mixed) shingle hash:
    /// a bijection per function, two operations each. Fixed: signatures are the same in every run.
    static let seeds: [UInt64] = (0..<size).map { Hash.mix(0xD1B5_4A32_D192_ED03 &* UInt64($0 + 1)) }
    static let multipliers: [UInt64] = (0..<size).map { Hash.mix(0x2545_F491_4F6C_DD1D &* UInt64($0 + 1)) | 1 }

    /// The 64-bit hash of a term's bytes.
    @inline(__always)
    public static func termHash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 { Hash.bytes(p, n) }

    /// A term's hash from its string (tests).
    public static func termHash(_ s: String) -> UInt64 {
        var s = s
        return s.withUTF8 { p in p.baseAddress.map { termHash($0, p.count) } ?? Hash.mix(0) }
    }

    /// The hash of a shingle: its terms' hashes combined in order.
    @inline(__always)
    public static func shingleHash(_ terms: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var h: UInt64 = 0x5851_F42D_4C95_7F2D
        for t in terms { h = Hash.mix(h ^ t) }
        return h
    }

    /// The shingle hashes of a token sequence (by term hash): every run of `shingleLength` consecutive
    /// tokens; a shorter non-empty document is one shingle of all its tokens; an empty one has none.
    public static func shingles(_ termHashes: [UInt64]) -> [UInt64] {
        termHashes.withUnsafeBufferPointer { p in
            let n = p.count
            guard n > 0 else { return [] }
            let k = min(shingleLength, n)
            return (0...(n - k)).map { shingleHash(UnsafeBufferPointer(rebasing: p[$0..<($0 + k)])) }
        }
    }

    /// The signature of a non-empty set of shingle hashes (repeats change nothing).
    public static func signature(_ shingles: [UInt64]) -> [UInt8] {
        var acc = Accumulator()
        for s in shingles { acc.add(s) }
        var out: [UInt8] = []
        acc.finish(into: &out)
        return out
    }

    /// Running minima of one document (reused between documents).
    public struct Accumulator {
        var minima = [UInt64](repeating: .max, count: MinHash.size)
        public private(set) var isEmpty = true

        public init() {}

        public mutating func reset() {
            for i in minima.indices { minima[i] = .max }
            isEmpty = true
        }

        @inline(__always)
        public mutating func add(_ shingle: UInt64) {
            isEmpty = false
            MinHash.seeds.withUnsafeBufferPointer { seeds in
                MinHash.multipliers.withUnsafeBufferPointer { mult in
                    minima.withUnsafeMutableBufferPointer { m in
                        for i in 0..<MinHash.size {
                            m[i] = Swift.min(m[i], (shingle ^ seeds[i]) &* mult[i])
                        }
                    }
                }
            }
        }

        /// Appends the `size` signature bytes.
        public func finish(into out: inout [UInt8]) {
            for m in minima { out.append(UInt8(truncatingIfNeeded: Hash.mix(m))) }
        }
    }

    /// Estimated Jaccard similarity of two signatures: the share of equal bytes, corrected for 8-bit
    /// collisions ((p − 1/256) / (1 − 1/256)), within 0...1.
    public static func similarity(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Double {
        var equal = 0
        for i in 0..<min(a.count, b.count) where a[i] == b[i] { equal += 1 }
        let p = Double(equal) / Double(size)
        return min(1, max(0, (p - collision) / (1 - collision)))
    }

    public static func similarity(_ a: [UInt8], _ b: [UInt8]) -> Double {
        a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { similarity(pa, $0) } }
    }

    /// LSH banding for a threshold: `rows` signature bytes per band (8, 4, 2 or 1, the most that keeps
    /// within `size`) and the fewest `bands` such that a pair at the threshold becomes a candidate with
    /// probability at least 0.9999 (1 − (1 − t^rows)^bands). 0.9: 17 bands of 8 bytes.
    public static func banding(threshold t: Double) -> (rows: Int, bands: Int) {
        for rows in [8, 4, 2, 1] {
            let hit = pow(t, Double(rows))
            if hit >= 1 { return (rows, 1) }
            let needed = Int((log(1e-4) / log(1 - hit)).rounded(.up))
            if needed <= size / rows { return (rows, max(1, needed)) }
        }
        return (1, size)
    }
}

/// Per-document signatures of one worker (the signature pass), in the order it saw the documents.
public struct SignatureChunk: Sendable {
    public var ordinals: [Int] = []
    public var exactKeys: [ExactKey] = []
    /// `MinHash.size` bytes per document (near mode); a document without tokens has no shingles.
    public var minhashes: [UInt8] = []
    public var hasShingles: [Bool] = []
    /// Ids and sources, when the request asked for names.
    public var ids: [String] = []
    public var sources: [String] = []

    public init() {}

    public var count: Int { ordinals.count }
}

/// One member of a duplicate cluster: where its signature is, its ordinal, its similarity to the kept one.
public struct DuplicateMember: Sendable, Equatable {
    public var ordinal: Int
    public var chunk: Int
    public var row: Int
    /// 1 for the kept document and exact copies, else the estimated Jaccard similarity to the kept one.
    public var similarity: Double
}

/// Documents dropped as duplicates, and the clusters they form.
public struct DedupResolution: Sendable {
    /// Ordinals of the dropped documents.
    public var dropped = OrdinalSet()
    /// Clusters in input order of their kept (first) document; members in input order, the kept one first.
    public var clusters: [[DuplicateMember]] = []
    /// Dropped documents found by their exact key (an exact copy of an earlier document).
    public var exactDropped = 0
}

/// Resolves duplicates from per-document signatures: documents are visited in input order (by ordinal,
/// whatever worker saw them); one is dropped when its exact key was seen before, or (near) when a kept
/// document it shares an LSH band with has an estimated similarity at or above the threshold — it then
/// joins the kept document with the highest similarity (the earliest on a tie). Only kept documents enter
/// the band index, so every dropped document is within the threshold of its cluster's kept document.
public enum Dedup {
    public static func resolve(_ chunks: [SignatureChunk], mode: DedupMode, threshold: Double) -> DedupResolution {
        var order: [(ordinal: Int, chunk: Int32, row: Int32)] = []
        order.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for (c, chunk) in chunks.enumerated() {
            for r in 0..<chunk.count { order.append((chunk.ordinals[r], Int32(c), Int32(r))) }
        }
        order.sort { $0.ordinal < $1.ordinal }
        let (rows, bands) = MinHash.banding(threshold: threshold)
        var result = DedupResolution()
        // Exact key → (position in `order` of the kept document, similarity to it).
        var seen: [ExactKey: (kept: Int32, similarity: Double)] = [:]
        // Band key (32 bits: a rare false candidate costs one signature comparison) → the first kept
        // document (position in `order`) with it.
        var bandIndex: [UInt32: Int32] = [:]
        // Kept position → its cluster.
        var clusterOf: [Int32: Int] = [:]
        var keys = [UInt32](repeating: 0, count: bands)

        func member(_ pos: Int32, _ similarity: Double) -> DuplicateMember {
            let o = order[Int(pos)]
            return DuplicateMember(ordinal: o.ordinal, chunk: Int(o.chunk), row: Int(o.row), similarity: similarity)
        }
        func join(_ pos: Int, kept: Int32, similarity: Double) {
            result.dropped.insert(order[pos].ordinal)
            let k: Int
            if let c = clusterOf[kept] {
                k = c
            } else {
                k = result.clusters.count
                clusterOf[kept] = k
                result.clusters.append([member(kept, 1)])
            }
            result.clusters[k].append(member(Int32(pos), similarity))
        }

        for pos in order.indices {
            let o = order[pos]
            let chunk = chunks[Int(o.chunk)]
            let row = Int(o.row)
            let key = chunk.exactKeys[row]
            if let s = seen[key] {
                result.exactDropped += 1
                join(pos, kept: s.kept, similarity: s.similarity)
                continue
            }
            guard mode == .near, row < chunk.hasShingles.count, chunk.hasShingles[row] else {
                seen[key] = (Int32(pos), 1)
                continue
            }
            var best: (kept: Int32, similarity: Double)? = nil
            chunk.minhashes.withUnsafeBufferPointer { all in
                let sig = UnsafeBufferPointer(rebasing: all[(row * MinHash.size)..<((row + 1) * MinHash.size)])
                for band in 0..<bands {
                    var packed: UInt64 = 0
                    for i in 0..<rows { packed = packed << 8 | UInt64(sig[band * rows + i]) }
                    keys[band] = UInt32(truncatingIfNeeded: Hash.mix(packed ^ Hash.mix(UInt64(band) &+ 0x51A5)) >> 32)
                    guard let c = bandIndex[keys[band]] else { continue }
                    if let b = best, b.kept == c { continue }
                    let other = order[Int(c)]
                    let s = chunks[Int(other.chunk)].minhashes.withUnsafeBufferPointer {
                        MinHash.similarity(sig, UnsafeBufferPointer(rebasing: $0[(Int(other.row) * MinHash.size)..<((Int(other.row) + 1) * MinHash.size)]))
                    }
                    guard s >= threshold - 1e-12 else { continue }
                    if best == nil || s > best!.similarity || (s == best!.similarity && c < best!.kept) { best = (c, s) }
                }
            }
            if let best {
                seen[key] = best
                join(pos, kept: best.kept, similarity: best.similarity)
            } else {
                seen[key] = (Int32(pos), 1)
                for k in keys where bandIndex[k] == nil { bandIndex[k] = Int32(pos) }
            }
        }
        // Clusters open when their first duplicate is seen: number them by their kept document instead.
        result.clusters.sort { $0[0].ordinal < $1[0].ordinal }
        return result
    }
}
