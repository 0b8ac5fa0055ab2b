/// Word-break classes of the fast character set, as the scanner uses them (UAX #29 names). The class of
/// each fast character is taken from the linked ICU by probing (see `FastProbe`), never from a table of
/// Unicode properties: ICU's rules differ from plain UAX #29 in places (ICU 72: `@` is a letter, `:` is
/// not MidLetter in root).
package enum FastClass {
    /// Not in the fast set (or invalid UTF-8): the region goes to ICU.
    package static let nonFast: UInt8 = 0
    package static let other: UInt8 = 1
    package static let wSegSpace: UInt8 = 2
    package static let cr: UInt8 = 3
    package static let lf: UInt8 = 4
    package static let newline: UInt8 = 5
    package static let aLetter: UInt8 = 6
    package static let numeric: UInt8 = 7
    package static let extendNumLet: UInt8 = 8
    package static let midLetter: UInt8 = 9
    package static let midNum: UInt8 = 10
    /// MidNumLet and Single_Quote (they act alike when no Hebrew letter is involved, and Hebrew is not fast).
    package static let midNumLet: UInt8 = 11
    package static let count = 12

    package static let names = ["nonFast", "Other", "WSegSpace", "CR", "LF", "Newline", "ALetter", "Numeric",
                                "ExtendNumLet", "MidLetter", "MidNum", "MidNumLet"]

    @inline(__always) package static func isWord(_ c: UInt8) -> Bool { c &- aLetter < 3 }
    @inline(__always) package static func isMid(_ c: UInt8) -> Bool { c &- midLetter < 3 }

    /// Index of a token's status in `FastClassTable.statuses`: the class before the last word character
    /// (0 = none), the mid character between them (0 = none) and the last word character.
    @inline(__always) package static func statusKey(prev: UInt8, mid: UInt8, last: UInt8) -> Int {
        let p = prev == 0 ? 0 : Int(prev &- 5)
        let m = mid == 0 ? 0 : Int(mid &- 8)
        return (p << 4) | (m << 2) | Int(last &- 5)
    }
}

/// The fixed repertoire the scanner may decide by itself: ASCII, the Latin-1 letters, NBSP and
/// ‘ ’ “ ” – — …. Everything else is handed to ICU.
package enum FastRepertoire {
    package static let scalars: [UInt32] = {
        var s = Array(UInt32(0)...0x7F)
        s += [0xA0, 0xAA, 0xB5, 0xBA]
        s += Array(UInt32(0xC0)...0xD6) + Array(UInt32(0xD8)...0xF6) + Array(UInt32(0xF8)...0xFF)
        s += [0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026]
        return s
    }()

    /// True when the scanner's decoder can represent `scalar` (U+0000–U+00FF, U+2000–U+203F).
    package static func isEncodable(_ scalar: UInt32) -> Bool { scalar <= 0xFF || (scalar >= 0x2000 && scalar <= 0x203F) }
}

/// Classes of the fast characters and the rule statuses of fast segments, for one locale. Immutable
/// once built; shared by all segmenters of a process.
package final class FastClassTable: @unchecked Sendable {
    /// scalar → class, for every scalar of `FastRepertoire.scalars` (nonFast for the rest).
    package let classes: [UInt32: UInt8]
    /// Status of a word token by `FastClass.statusKey` (64 entries; -1 = not learned).
    package let statuses: [Int32]
    /// Status of a lone non-word character by class, of a run of two or more WSegSpace, and of CR LF.
    package let singleStatus: [Int32]
    package let spaceRunStatus: Int32
    package let crlfStatus: Int32

    // Lookup tables for the scanner.
    let ascii: UnsafeMutablePointer<UInt8>      // U+0000–U+007F
    let latin1: UnsafeMutablePointer<UInt8>     // U+0080–U+00FF
    let punct: UnsafeMutablePointer<UInt8>      // U+2000–U+203F
    let status: UnsafeMutablePointer<Int32>     // 64
    let single: UnsafeMutablePointer<Int32>     // FastClass.count
    /// Per ASCII byte: flags for the certain-boundary test of the ICU handoff.
    let flags: UnsafeMutablePointer<UInt8>
    /// Every ASCII letter is a word character here, so the scanner may skip letters 8 bytes at a time.
    package let lettersAreWords: Bool

    static let fASCII: UInt8 = 1, fNewline: UInt8 = 2, fCR: UInt8 = 4, fLF: UInt8 = 8, fBreaky: UInt8 = 16, fSpace: UInt8 = 32

    package init(classes: [UInt32: UInt8], statuses: [Int32], singleStatus: [Int32], spaceRunStatus: Int32, crlfStatus: Int32) {
        precondition(statuses.count == 64 && singleStatus.count == FastClass.count)
        self.classes = classes
        self.statuses = statuses
        self.singleStatus = singleStatus
        self.spaceRunStatus = spaceRunStatus
        self.crlfStatus = crlfStatus
        ascii = .allocate(capacity: 128); ascii.initialize(repeating: 0, count: 128)
        latin1 = .allocate(capacity: 128); latin1.initialize(repeating: 0, count: 128)
        punct = .allocate(capacity: 64); punct.initialize(repeating: 0, count: 64)
        flags = .allocate(capacity: 128); flags.initialize(repeating: 0, count: 128)
        status = .allocate(capacity: 64); status.initialize(from: statuses, count: 64)
        single = .allocate(capacity: FastClass.count); single.initialize(from: singleStatus, count: FastClass.count)
        for (scalar, c) in classes {
            if scalar < 0x80 { ascii[Int(scalar)] = c }
            else if scalar <= 0xFF { latin1[Int(scalar - 0x80)] = c }
            else if scalar >= 0x2000 && scalar <= 0x203F { punct[Int(scalar - 0x2000)] = c }
            else { preconditionFailure("U+\(String(scalar, radix: 16)) cannot be a fast character") }
        }
        let asciiClasses = ascii
        lettersAreWords = (Array(65...90) + Array(97...122)).allSatisfy { FastClass.isWord(asciiClasses[$0]) }
        for b in 0..<128 {
            let c = ascii[b]
            guard c != FastClass.nonFast else { continue }
            var f = FastClassTable.fASCII
            if c == FastClass.cr || c == FastClass.lf || c == FastClass.newline { f |= FastClassTable.fNewline }
            if c == FastClass.cr { f |= FastClassTable.fCR }
            if c == FastClass.lf { f |= FastClassTable.fLF }
            if c == FastClass.other || c == FastClass.wSegSpace { f |= FastClassTable.fBreaky }
            if c == FastClass.wSegSpace { f |= FastClassTable.fSpace }
            flags[b] = f
        }
    }

    deinit {
        ascii.deallocate(); latin1.deallocate(); punct.deallocate(); flags.deallocate()
        status.deallocate(); single.deallocate()
    }

    /// The class of `scalar` (nonFast when it is not a fast character).
    package func cls(_ scalar: UInt32) -> UInt8 { classes[scalar] ?? FastClass.nonFast }

    /// A copy with `scalar` put in class `cls` (nonFast removes it from the fast set). For probing and
    /// for tests (mutation checks) only: a table built this way has not passed the self-test.
    package func with(_ scalar: UInt32, as cls: UInt8) -> FastClassTable {
        var c = classes
        c[scalar] = cls == FastClass.nonFast ? nil : cls
        return FastClassTable(classes: c, statuses: statuses, singleStatus: singleStatus, spaceRunStatus: spaceRunStatus, crlfStatus: crlfStatus)
    }

    /// A copy with other statuses (same classes).
    package func with(statuses: [Int32], singleStatus: [Int32], spaceRunStatus: Int32, crlfStatus: Int32) -> FastClassTable {
        FastClassTable(classes: classes, statuses: statuses, singleStatus: singleStatus, spaceRunStatus: spaceRunStatus, crlfStatus: crlfStatus)
    }

    /// A readable summary: the characters of each class.
    package var summary: String {
        var lines: [String] = []
        for c in 1..<FastClass.count {
            let members = FastRepertoire.scalars.filter { classes[$0] == UInt8(c) }
            guard !members.isEmpty else { continue }
            let shown = members.map { s -> String in
                if s < 0x21 || s == 0x7F || s == 0xA0 || s > 0x2000 { return "U+" + String(s, radix: 16, uppercase: true) }
                return String(Character(Unicode.Scalar(s)!))
            }
            lines.append("\(FastClass.names[c]): " + shown.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}
