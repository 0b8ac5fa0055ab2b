import CorpusICU

/// The ICU-exact fast word segmenter (issue 9). Decides segments of fast characters (ASCII, Latin-1
/// letters, NBSP, ‘ ’ “ ” – — …) itself with the UAX #29 rules and the classes probed from the linked ICU;
/// at any other character (or invalid UTF-8) it hands the region from the start of the open segment (a
/// true boundary) to the first *certain* boundary after it to ICU, and splices ICU's segments in.
///
/// A certain boundary is one no context can remove: before or after a newline (except inside CR LF),
/// or between two ASCII characters of which one is plain punctuation (Other) or a space (but not two
/// spaces). ICU's rule-based boundaries do not depend on the text before a boundary, and dictionary
/// ranges never include fast characters, so ICU over the region answers what ICU over the whole text does.
///
/// Only `FastScan.makeSegmenter` hands these out with a table that passed the start-up self-test;
/// the `package` initializer exists for tests (mutation checks). Not thread-safe: one per worker.
public final class FastWordSegmenter: WordSegmenter {
    /// The class table (settable for probing and tests only).
    package var table: FastClassTable
    private let fallback: ICUWordSegmenter
    private var icuSegments: [WordSegment] = []
    /// Segments are written here first, then copied to `out` in blocks.
    private let buffer: UnsafeMutablePointer<WordSegment>
    private static let bufferCapacity = 8192
    /// Bytes handed to ICU so far (for statistics and tests).
    public private(set) var bytesToICU = 0

    package init(table: FastClassTable, locale: String) throws(ICUError) {
        self.table = table
        fallback = try ICUWordSegmenter(locale: locale)
        buffer = .allocate(capacity: FastWordSegmenter.bufferCapacity)
    }

    deinit { buffer.deallocate() }

    public func segment(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment]) {
        run(text, into: &out, wordsOnly: false)
    }

    /// `segment`'s word segments only (`isToken`): the others are decided the same way, not written.
    public func segmentWords(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment]) {
        run(text, into: &out, wordsOnly: true)
    }

    /// Both of the above; `wordsOnly` is a constant in each, so the check costs `segment` nothing.
    @inline(__always)
    private func run(_ text: UnsafeBufferPointer<UInt8>, into out: inout [WordSegment], wordsOnly: Bool) {
        out.removeAll(keepingCapacity: true)
        guard let p = text.baseAddress, text.count > 0 else { return }
        let n = text.count
        precondition(n < Int(Int32.max), "ICU offsets are 32-bit: chunks must be < 2 GiB")
        let ascii = table.ascii, latin1 = table.latin1, punct = table.punct
        let status = table.status, single = table.single
        let lettersAreWords = table.lettersAreWords
        let segs = buffer
        let capacity = FastWordSegmenter.bufferCapacity
        var count = 0

        /// The class and byte length of the character at `j` (class nonFast when it is not fast).
        @inline(__always) func classify(_ j: Int) -> (UInt8, Int) {
            let b = p[j]
            if b < 0x80 { return (ascii[Int(b)], 1) }
            if b &- 0xC2 < 2 {  // C2 xx, C3 xx: U+0080–U+00FF
                if j + 1 < n {
                    let b1 = p[j + 1]
                    if b1 & 0xC0 == 0x80 { return (latin1[Int(((b & 1) << 6) | (b1 & 0x3F))], 2) }
                }
                return (FastClass.nonFast, 1)
            }
            if b == 0xE2 && j + 2 < n && p[j + 1] == 0x80 {  // E2 80 xx: U+2000–U+203F
                let b2 = p[j + 2]
                if b2 & 0xC0 == 0x80 { return (punct[Int(b2 & 0x3F)], 3) }
            }
            return (FastClass.nonFast, 1)
        }

        @inline(__always) func emit(_ s: Int, _ e: Int, _ st: Int32) {
            let seg = WordSegment(start: Int32(truncatingIfNeeded: s), end: Int32(truncatingIfNeeded: e), status: st)
            if wordsOnly && !seg.isToken { return }
            if count == capacity {
                out.append(contentsOf: UnsafeBufferPointer(start: segs, count: count))
                count = 0
            }
            (segs + count).initialize(to: seg)
            count &+= 1
        }

        var i = 0
        outer: while i < n {
            let s = i
            let (c, l) = classify(i)
            if FastClass.isWord(c) {
                var prev: UInt8 = 0, mid: UInt8 = 0, last = c
                var j = i + l
                while j < n {
                    // ASCII word characters: a tight loop; the classes of the last two give the status.
                    let run = j
                    if lettersAreWords {
                        // Letters 8 at a time (they are all word characters in this table; the byte loop
                        // below takes the first non-letter on).
                        while j &+ 8 <= n {
                            let letters = FastWordSegmenter.letterBytes(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                            if letters == 0x8080_8080_8080_8080 { j &+= 8; continue }
                            j &+= (~letters & 0x8080_8080_8080_8080).trailingZeroBitCount &>> 3
                            break
                        }
                    }
                    while j < n {
                        let b = p[j]
                        if b >= 0x80 || !FastClass.isWord(ascii[Int(b)]) { break }
                        j &+= 1
                    }
                    if j &- run >= 2 {
                        prev = ascii[Int(p[j &- 2])]; last = ascii[Int(p[j &- 1])]; mid = 0
                    } else if j != run {
                        prev = last; last = ascii[Int(p[j &- 1])]; mid = 0
                    }
                    if j >= n { break }
                    let (c2, l2) = classify(j)
                    if FastClass.isWord(c2) {
                        prev = last; mid = 0; last = c2; j += l2
                        continue
                    }
                    if c2 == FastClass.nonFast { i = handoff(p, n, s, j, &count, &out, wordsOnly); continue outer }
                    if FastClass.isMid(c2) {
                        let ok = c2 == FastClass.midNumLet ? (last != FastClass.extendNumLet)
                            : c2 == FastClass.midLetter ? (last == FastClass.aLetter) : (last == FastClass.numeric)
                        if ok {
                            let k = j + l2
                            if k >= n { break }
                            let (c3, l3) = classify(k)
                            if c3 == FastClass.nonFast { i = handoff(p, n, s, k, &count, &out, wordsOnly); continue outer }
                            if c3 == last {
                                prev = last; mid = c2; j = k + l3
                                continue
                            }
                        }
                    }
                    break
                }
                emit(s, j, status[FastClass.statusKey(prev: prev, mid: mid, last: last)])
                i = j
                // The commonest case next: one space, then an ASCII word character (the space ends there).
                if j &+ 1 < n {
                    let b = p[j], b1 = p[j &+ 1]
                    if b < 0x80 && b1 < 0x80 && ascii[Int(b)] == FastClass.wSegSpace && FastClass.isWord(ascii[Int(b1)]) {
                        emit(j, j &+ 1, single[Int(FastClass.wSegSpace)])
                        i = j &+ 1
                    }
                }
                continue
            }
            switch c {
            case FastClass.nonFast:
                i = handoff(p, n, s, i, &count, &out, wordsOnly)
            case FastClass.wSegSpace:
                var j = i + l
                var run = false
                while j < n {
                    let (c2, l2) = classify(j)
                    if c2 == FastClass.wSegSpace { j += l2; run = true; continue }
                    if c2 == FastClass.nonFast { i = handoff(p, n, s, j, &count, &out, wordsOnly); continue outer }
                    break
                }
                emit(s, j, run ? table.spaceRunStatus : single[Int(c)])
                i = j
            case FastClass.cr:
                if i + 1 < n && classify(i + 1).0 == FastClass.lf {
                    emit(s, i + 2, table.crlfStatus)
                    i += 2
                } else {
                    emit(s, i + 1, single[Int(c)])
                    i += 1
                }
            case FastClass.lf, FastClass.newline:
                // Always a boundary after LF and Newline (WB3a), whatever follows.
                emit(s, i + l, single[Int(c)])
                i += l
            default:
                // Other and the mid classes not joined to a word: one character alone, unless an Extend,
                // Format or ZWJ (never fast) follows and attaches to it.
                let j = i + l
                if j < n && classify(j).0 == FastClass.nonFast { i = handoff(p, n, s, j, &count, &out, wordsOnly); continue outer }
                emit(s, j, single[Int(c)])
                i = j
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(start: segs, count: count))
    }

    /// The high bit of each byte of `w` that is an ASCII letter (A–Z, a–z), the other bits zero. No byte's
    /// sum carries into the next: the high bit is cleared before adding.
    @inline(__always)
    package static func letterBytes(_ w: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let y = (w | 0x2020_2020_2020_2020) & 0x7F7F_7F7F_7F7F_7F7F  // A–Z folded onto a–z
        let atLeastA = y &+ 0x1F1F_1F1F_1F1F_1F1F  // high bit: y >= 0x61
        let pastZ = y &+ 0x0505_0505_0505_0505     // high bit: y >= 0x7B
        return atLeastA & ~pastZ & ~w & high
    }

    /// Hands `[s, q)` to ICU, where `q` is the first certain boundary after the undecidable character
    /// at `bad`; appends ICU's segments (shifted by `s`; word segments only with `wordsOnly`) and returns `q`.
    @inline(never)
    private func handoff(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: Int, _ bad: Int, _ count: inout Int, _ out: inout [WordSegment],
                         _ wordsOnly: Bool) -> Int {
        let flags = table.flags
        var q = bad + 1
        while q < n {
            let x = p[q - 1], y = p[q]
            let fx = x < 0x80 ? flags[Int(x)] : 0
            let fy = y < 0x80 ? flags[Int(y)] : 0
            let crlf = (fx & FastClassTable.fCR) != 0 && (fy & FastClassTable.fLF) != 0
            if (fx | fy) & FastClassTable.fNewline != 0 && !crlf { break }
            if (fx & fy & FastClassTable.fASCII) != 0 && ((fx | fy) & FastClassTable.fBreaky) != 0
                && (fx & fy & FastClassTable.fSpace) == 0 { break }
            q += 1
        }
        bytesToICU += q - s
        fallback.segment(UnsafeBufferPointer(start: p + s, count: q - s), into: &icuSegments)
        let shift = Int32(truncatingIfNeeded: s)
        if count > 0 {
            out.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
            count = 0
        }
        for seg in icuSegments where !wordsOnly || seg.isToken {
            out.append(WordSegment(start: seg.start &+ shift, end: seg.end &+ shift, status: seg.status))
        }
        return q
    }

    /// Convenience for tests and small inputs.
    public func segments(_ text: String) -> [WordSegment] {
        var out: [WordSegment] = []
        var s = text
        s.withUTF8 { segment($0, into: &out) }
        return out
    }
}
