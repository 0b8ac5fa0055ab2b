import CorpusICU

/// Takes the classes of the fast characters and the rule statuses of fast segments from the linked ICU,
/// by probing its word break iterator, and checks the result (the start-up self-test).
package enum FastProbe {
    /// Starting point for probing: the UAX #29 class of each fast character. Probing corrects it where
    /// ICU differs (ICU 72 root: `@` is a letter, `:` is plain punctuation).
    package static func guess(_ s: UInt32) -> UInt8 {
        switch s {
        case 0x0D: return FastClass.cr
        case 0x0A: return FastClass.lf
        case 0x0B, 0x0C: return FastClass.newline
        case 0x20: return FastClass.wSegSpace
        case 0x30...0x39: return FastClass.numeric
        case 0x41...0x5A, 0x61...0x7A, 0xAA, 0xB5, 0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0xFF: return FastClass.aLetter
        case 0x5F: return FastClass.extendNumLet
        case 0x27, 0x2E, 0x2018, 0x2019: return FastClass.midNumLet
        case 0x3A: return FastClass.midLetter
        case 0x2C, 0x3B: return FastClass.midNum
        default: return FastClass.other
        }
    }

    /// A character of each class, used for status probes when no fast character has that class.
    static let defaultRep: [UInt32] = [0, 0x21, 0x20, 0x0D, 0x0A, 0x0B, 0x61, 0x31, 0x5F, 0xB7, 0x3B, 0x2E]

    /// Non-fast characters mixed into the self-test: combining mark, ZWJ, soft hyphen, Hebrew letter,
    /// Thai, CJK, regional indicator, U+00B7 (MidLetter), NEL (Newline), U+2024 (MidNumLet).
    static let foreign: [UInt32] = [0x301, 0x200D, 0xAD, 0x5D0, 0xE01, 0x65E5, 0x1F1E6, 0xB7, 0x85, 0x2024]

    // MARK: - Text building

    @inline(__always)
    static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80: out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (s >> 6))); out.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12))); out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18))); out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    static func bytes(_ scalars: [UInt32]) -> [UInt8] {
        var b: [UInt8] = []
        for s in scalars { appendUTF8(s, to: &b) }
        return b
    }

    /// Lines joined by LF (a boundary nothing can remove, on both sides).
    package static func joined(_ lines: [[UInt32]]) -> [UInt8] {
        var b: [UInt8] = []
        for (k, l) in lines.enumerated() {
            if k > 0 { b.append(0x0A) }
            for s in l { appendUTF8(s, to: &b) }
        }
        return b
    }

    // MARK: - Comparison

    /// The first difference between ICU's and the fast segmenter's answers on `text`, or nil.
    package static func firstMismatch(_ text: [UInt8], icu: ICUWordSegmenter, fast: FastWordSegmenter,
                                      icuOut: inout [WordSegment], fastOut: inout [WordSegment]) -> String? {
        text.withUnsafeBufferPointer { buf in
            icu.segment(buf, into: &icuOut)
            fast.segment(buf, into: &fastOut)
        }
        if icuOut == fastOut { return nil }
        var k = 0
        while k < icuOut.count && k < fastOut.count && icuOut[k] == fastOut[k] { k += 1 }
        let at = Int(k < icuOut.count ? icuOut[k].start : (k < fastOut.count ? fastOut[k].start : 0))
        // Show the line around the difference.
        var a = at, b = at
        while a > 0 && text[a - 1] != 0x0A { a -= 1 }
        while b < text.count && text[b] != 0x0A { b += 1 }
        let line = describe(Array(text[a..<b]))
        let i = k < icuOut.count ? "\(icuOut[k].start - Int32(a))..<\(icuOut[k].end - Int32(a)) status \(icuOut[k].status)" : "none"
        let f = k < fastOut.count ? "\(fastOut[k].start - Int32(a))..<\(fastOut[k].end - Int32(a)) status \(fastOut[k].status)" : "none"
        return "\(line): ICU segment \(i), fast segment \(f)"
    }

    /// A printable form of UTF-8 bytes: ASCII letters, digits and common punctuation as is, the rest as U+XXXX.
    package static func describe(_ bytes: [UInt8]) -> String {
        var out = "\""
        for u in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let v = u.value
            if v >= 0x21 && v < 0x7F && v != 0x22 && v != 0x5C { out.unicodeScalars.append(u) }
            else { out += "<U+" + String(v, radix: 16, uppercase: true) + ">" }
        }
        return out + "\""
    }

    // MARK: - Learning statuses

    package static func reps(_ classes: [UInt32: UInt8]) -> [UInt32?] {
        var r = [UInt32?](repeating: nil, count: FastClass.count)
        for s in FastRepertoire.scalars {
            if let c = classes[s], r[Int(c)] == nil { r[Int(c)] = s }
        }
        return r
    }

    /// Rule statuses of every kind of fast segment, from ICU's answers on one example of each.
    static func learnStatuses(_ classes: [UInt32: UInt8], icu: ICUWordSegmenter) -> (statuses: [Int32], single: [Int32], spaceRun: Int32, crlf: Int32) {
        let have = reps(classes)
        func rep(_ c: UInt8) -> UInt32 { have[Int(c)] ?? defaultRep[Int(c)] }
        var segs: [WordSegment] = []
        func statusOf(_ scalars: [UInt32]) -> Int32 {
            let b = bytes(scalars)
            b.withUnsafeBufferPointer { icu.segment($0, into: &segs) }
            return segs.count == 1 && Int(segs[0].end) == b.count ? segs[0].status : -1
        }
        var statuses = [Int32](repeating: -1, count: 64)
        let words = [FastClass.aLetter, FastClass.numeric, FastClass.extendNumLet]
        for last in words {
            statuses[FastClass.statusKey(prev: 0, mid: 0, last: last)] = statusOf([rep(last)])
            for prev in words {
                statuses[FastClass.statusKey(prev: prev, mid: 0, last: last)] = statusOf([rep(prev), rep(last)])
            }
        }
        for (w, mids) in [(FastClass.aLetter, [FastClass.midLetter, FastClass.midNumLet]), (FastClass.numeric, [FastClass.midNum, FastClass.midNumLet])] {
            for m in mids {
                statuses[FastClass.statusKey(prev: w, mid: m, last: w)] = statusOf([rep(w), rep(m), rep(w)])
            }
        }
        var single = [Int32](repeating: -1, count: FastClass.count)
        for c in [FastClass.other, FastClass.wSegSpace, FastClass.cr, FastClass.lf, FastClass.newline,
                  FastClass.midLetter, FastClass.midNum, FastClass.midNumLet] {
            single[Int(c)] = statusOf([rep(c)])
        }
        let spaceRun = statusOf([rep(FastClass.wSegSpace), rep(FastClass.wSegSpace)])
        let crlf = statusOf([rep(FastClass.cr), rep(FastClass.lf)])
        return (statuses, single, spaceRun, crlf)
    }

    package static func makeTable(_ classes: [UInt32: UInt8], icu: ICUWordSegmenter) -> FastClassTable {
        let l = learnStatuses(classes, icu: icu)
        return FastClassTable(classes: classes, statuses: l.statuses, singleStatus: l.single, spaceRunStatus: l.spaceRun, crlfStatus: l.crlf)
    }

    // MARK: - Classification

    /// Contexts for probing one character (UTF-8): `left`/`right` = nothing, a character of each class,
    /// `extra`, and a letter or space with a combining mark; `coreLeft`/`coreRight` = nothing, a letter,
    /// a digit, `_`, and a letter or digit before (after) each mid character.
    package struct Contexts {
        var left: [[UInt8]]
        var right: [[UInt8]]
        var coreLeft: [[UInt8]]
        var coreRight: [[UInt8]]
    }

    package static func contexts(classReps: [UInt32?], extra: [UInt32]) -> Contexts {
        var ctx: [[UInt32]] = [[]]
        for r in classReps { if let r { ctx.append([r]) } }
        for e in extra { ctx.append([e]) }
        let a = classReps[Int(FastClass.aLetter)] ?? 0x61, d = classReps[Int(FastClass.numeric)] ?? 0x31
        let u = classReps[Int(FastClass.extendNumLet)] ?? 0x5F, sp = classReps[Int(FastClass.wSegSpace)] ?? 0x20
        var coreLeft: [[UInt32]] = [[], [a], [d], [u]]
        var coreRight: [[UInt32]] = [[], [a], [d], [u]]
        for m in [FastClass.midLetter, FastClass.midNum, FastClass.midNumLet] {
            guard let m = classReps[Int(m)] else { continue }
            coreLeft += [[a, m], [d, m]]
            coreRight += [[m, a], [m, d]]
        }
        var left = ctx, right = ctx
        left += [[a, 0x301], [sp, 0x301]]
        right += [[0x301, a], [0x301, sp]]
        return Contexts(left: left.map(bytes), right: right.map(bytes), coreLeft: coreLeft.map(bytes), coreRight: coreRight.map(bytes))
    }

    /// Probe text for one character `c`: alone, doubled, tripled; once and twice after each `left`
    /// context, before each `right` context, and between every pair of core contexts; lines joined by LF.
    /// With `full` false (classification), only the core pairs letter–letter, digit–digit, letter–digit and
    /// digit–letter instead of all core pairs.
    package static func probeText(_ c: UInt32, _ ctx: Contexts, full: Bool = true, into text: inout [UInt8]) {
        text.removeAll(keepingCapacity: true)
        var cb: [UInt8] = []
        appendUTF8(c, to: &cb)
        text.append(contentsOf: cb); text.append(0x0A)
        text.append(contentsOf: cb); text.append(contentsOf: cb); text.append(0x0A)
        text.append(contentsOf: cb); text.append(contentsOf: cb); text.append(contentsOf: cb)
        func line(_ l: [UInt8], _ r: [UInt8]) {
            text.append(0x0A); text.append(contentsOf: l); text.append(contentsOf: cb); text.append(contentsOf: r)
            text.append(0x0A); text.append(contentsOf: l); text.append(contentsOf: cb); text.append(contentsOf: cb); text.append(contentsOf: r)
        }
        for l in ctx.left { line(l, []) }
        for r in ctx.right { line([], r) }
        if full {
            for l in ctx.coreLeft { for r in ctx.coreRight { line(l, r) } }
        } else {
            for l in ctx.coreLeft[1...2] { for r in ctx.coreRight[1...2] { line(l, r) } }
        }
    }

    /// The classes of the fast characters for the iterator `icu`, found by probing (starting from
    /// `start`, by default the UAX #29 guesses); nil and the reason when some character fits no class.
    package static func classify(icu: ICUWordSegmenter, locale: String, start: [UInt32: UInt8]? = nil) throws(ICUError) -> (classes: [UInt32: UInt8]?, problem: String?) {
        var classes: [UInt32: UInt8] = start ?? [:]
        if start == nil { for s in FastRepertoire.scalars { classes[s] = guess(s) } }
        let fast = try FastWordSegmenter(table: makeTable(classes, icu: icu), locale: locale)
        var icuOut: [WordSegment] = [], fastOut: [WordSegment] = []
        // Each character is classified against the current classes of all the others; a change takes
        // effect at once (the contexts of later probes use it). One pass: the self-test checks the result.
        var table = makeTable(classes, icu: icu)
        var ctx = contexts(classReps: reps(classes), extra: [0x301])
        var text: [UInt8] = []
        for c in FastRepertoire.scalars {
            probeText(c, ctx, full: false, into: &text)
            text.withUnsafeBufferPointer { icu.segment($0, into: &icuOut) }
            let current = classes[c]!
            var found: UInt8? = nil
            for k in [current] + (1..<UInt8(FastClass.count)).filter({ $0 != current }) {
                fast.table = k == current ? table : table.with(c, as: k)
                text.withUnsafeBufferPointer { fast.segment($0, into: &fastOut) }
                if fastOut == icuOut {
                    found = k
                    break
                }
            }
            guard let found else {
                fast.table = table
                let why = firstMismatch(text, icu: icu, fast: fast, icuOut: &icuOut, fastOut: &fastOut) ?? "?"
                return (nil, "U+\(String(c, radix: 16, uppercase: true)) fits no word-break class (as \(FastClass.names[Int(current)]): \(why))")
            }
            if found != current {
                classes[c] = found
                table = makeTable(classes, icu: icu)
                ctx = contexts(classReps: reps(classes), extra: [0x301])
            }
        }
        return (classes, nil)
    }

    // MARK: - Self-test

    /// A kind of fast segment that some character can produce but whose status could not be learned.
    static func unlearnedStatus(_ table: FastClassTable) -> String? {
        let r = reps(table.classes)
        func has(_ c: UInt8) -> Bool { r[Int(c)] != nil }
        let words = [FastClass.aLetter, FastClass.numeric, FastClass.extendNumLet]
        for last in words where has(last) {
            if table.statuses[FastClass.statusKey(prev: 0, mid: 0, last: last)] < 0 { return "no status for a lone \(FastClass.names[Int(last)])" }
            for prev in words where has(prev) {
                if table.statuses[FastClass.statusKey(prev: prev, mid: 0, last: last)] < 0 { return "no status for \(FastClass.names[Int(prev)]) \(FastClass.names[Int(last)])" }
            }
        }
        for (w, mids) in [(FastClass.aLetter, [FastClass.midLetter, FastClass.midNumLet]), (FastClass.numeric, [FastClass.midNum, FastClass.midNumLet])] where has(w) {
            for m in mids where has(m) {
                if table.statuses[FastClass.statusKey(prev: w, mid: m, last: w)] < 0 { return "no status for \(FastClass.names[Int(w)]) \(FastClass.names[Int(m)]) \(FastClass.names[Int(w)])" }
            }
        }
        for c in [FastClass.other, FastClass.wSegSpace, FastClass.cr, FastClass.lf, FastClass.newline,
                  FastClass.midLetter, FastClass.midNum, FastClass.midNumLet] where has(c) {
            if table.singleStatus[Int(c)] < 0 { return "no status for a lone \(FastClass.names[Int(c)])" }
        }
        if has(FastClass.wSegSpace) && table.spaceRunStatus < 0 { return "no status for a run of WSegSpace" }
        if has(FastClass.cr) && has(FastClass.lf) && table.crlfStatus < 0 { return "no status for CR LF" }
        return nil
    }

    /// Checks `table` against ICU (root rules): every fast character alone, doubled and before a combining
    /// mark, each as a whole text; every fast character once and twice after and before each context
    /// (nothing, a character of each class, a combining mark, ZWJ, soft hyphen, a Hebrew letter, é, ’) and
    /// between every pair of core contexts (nothing, letter, digit, `_`, letter or digit next to each mid
    /// character); every string of up to 3 characters over one character of each class plus non-fast ones
    /// (`foreign`), and of 4 characters over the class representatives and a combining mark.
    /// Returns nil when every segment (start, end, status) agrees, else the first disagreement.
    package static func selfTest(_ table: FastClassTable, locale: String) throws(ICUError) -> String? {
        let icu = try ICUWordSegmenter(locale: locale)
        let fast = try FastWordSegmenter(table: table, locale: locale)
        var icuOut: [WordSegment] = [], fastOut: [WordSegment] = []
        if let m = unlearnedStatus(table) { return m }
        let classReps = reps(table.classes)
        let repList = classReps.compactMap { $0 }
        // Each fast character on its own (start and end of text).
        for c in FastRepertoire.scalars {
            for line in [[c], [c, c], [c, 0x301]] {
                if let m = firstMismatch(bytes(line), icu: icu, fast: fast, icuOut: &icuOut, fastOut: &fastOut) { return m }
            }
        }
        // Each fast character in context.
        let second: [UInt32] = [0xE9, 0x2019]   // a non-ASCII letter and apostrophe
        let ctx = contexts(classReps: classReps, extra: [0x301, 0x200D, 0xAD, 0x5D0] + second)
        var text: [UInt8] = []
        for c in FastRepertoire.scalars {
            probeText(c, ctx, into: &text)
            if let m = firstMismatch(text, icu: icu, fast: fast, icuOut: &icuOut, fastOut: &fastOut) { return m }
        }
        // Short strings over the class representatives and the non-fast characters.
        let alphabet3 = (repList + second + foreign).map { bytes([$0]) }
        text.removeAll(keepingCapacity: true)
        for x in alphabet3 {
            text.append(contentsOf: x); text.append(0x0A)
            for y in alphabet3 {
                text.append(contentsOf: x); text.append(contentsOf: y); text.append(0x0A)
                for z in alphabet3 { text.append(contentsOf: x); text.append(contentsOf: y); text.append(contentsOf: z); text.append(0x0A) }
            }
        }
        if let m = firstMismatch(text, icu: icu, fast: fast, icuOut: &icuOut, fastOut: &fastOut) { return m }
        let alphabet4 = (repList + [0x301]).map { bytes([$0]) }
        text.removeAll(keepingCapacity: true)
        for x in alphabet4 { for y in alphabet4 { for z in alphabet4 { for w in alphabet4 {
            text.append(contentsOf: x); text.append(contentsOf: y); text.append(contentsOf: z); text.append(contentsOf: w); text.append(0x0A)
        } } } }
        if let m = firstMismatch(text, icu: icu, fast: fast, icuOut: &icuOut, fastOut: &fastOut) { return m }
        return nil
    }
}
