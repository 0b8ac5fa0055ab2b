internal import CICU

/// How tokens are normalized. SPEC.md's default is `nfkcCasefold`.
public enum NormalizationMode: String, CaseIterable, Sendable {
    case nfkcCasefold = "nfkc-casefold"
    case nfkc
    case nfc
    case nfd
    case nfkd
    /// Locale-aware full lowercase (`u_strToLower`), no normalization.
    case lowercase
    /// The text as segmented.
    case none
}

/// What a caller may do itself with an all-ASCII token, without calling ICU.
public enum ASCIIRule: Sendable {
    /// ASCII is already in this normal form: keep the bytes.
    case identity
    /// ASCII maps to its ASCII lowercase (NFKC_Casefold; lowercase in locales without special rules).
    case lowercase
    /// ASCII needs ICU (e.g. Turkish lowercase maps `I` to `ı`).
    case needsICU
}

/// The normalizer stage: a normalization form, optional accent stripping (NFD, drop nonspacing
/// marks, NFC), a locale for lowercasing, then typographic apostrophes folded to U+0027 (docs/definitions.md
/// "Tokens", step 4). Holds scratch buffers: one per worker, not thread-safe.
public final class TokenNormalizer {
    public let mode: NormalizationMode
    public let stripAccents: Bool
    public let locale: String
    /// Fold U+2018, U+2019 and U+02BC to U+0027 after normalizing (`it’s` = `it's`).
    public let foldApostrophes: Bool
    /// What callers may do with all-ASCII tokens themselves.
    public let asciiRule: ASCIIRule

    private let form: OpaquePointer?  // const UNormalizer2*
    private let nfd: OpaquePointer
    private let nfc: OpaquePointer
    private var src: [UInt16] = []
    private var dst: [UInt16] = []
    private var tmp: [UInt16] = []

    public init(mode: NormalizationMode = .nfkcCasefold, stripAccents: Bool = false, locale: String = "", foldApostrophes: Bool = true) throws(ICUError) {
        self.mode = mode
        self.stripAccents = stripAccents
        self.locale = locale
        self.foldApostrophes = foldApostrophes
        var status = U_ZERO_ERROR
        switch mode {
        case .nfkcCasefold: form = cicu_unorm2_getNFKCCasefoldInstance(&status)
        case .nfkc: form = cicu_unorm2_getNFKCInstance(&status)
        case .nfc: form = cicu_unorm2_getNFCInstance(&status)
        case .nfd: form = cicu_unorm2_getNFDInstance(&status)
        case .nfkd: form = cicu_unorm2_getNFKDInstance(&status)
        case .lowercase, .none: form = nil
        }
        try status.check("unorm2_get*Instance")
        guard let n1 = cicu_unorm2_getNFDInstance(&status), let n2 = cicu_unorm2_getNFCInstance(&status) else {
            throw ICUError(U_INTERNAL_PROGRAM_ERROR, "unorm2_getNFDInstance")
        }
        try status.check("unorm2_getNFCInstance")
        nfd = n1
        nfc = n2
        switch mode {
        case .nfkcCasefold: asciiRule = .lowercase
        case .lowercase:
            let lang = locale.split(whereSeparator: { $0 == "_" || $0 == "-" }).first.map { $0.lowercased() } ?? ""
            asciiRule = ["tr", "az", "lt"].contains(lang) ? .needsICU : .lowercase
        default: asciiRule = .identity
        }
        src.reserveCapacity(256)
        dst.reserveCapacity(256)
    }

    /// Appends the normalized form of `token` (valid UTF-8) to `out`.
    public func normalize(_ token: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        if isASCII(token) {
            switch asciiRule {
            case .identity:
                out.append(contentsOf: token)
                return
            case .lowercase:
                for b in token { out.append(b &+ ((b &- 65) < 26 ? 32 : 0)) }
                return
            case .needsICU: break
            }
        }
        decodeUTF8(token, into: &src)
        var current = src
        if let form {
            current = apply(form, current)
        } else if mode == .lowercase {
            current = lowercase(current)
        }
        if stripAccents {
            current = apply(nfd, current)
            var kept: [UInt16] = []
            kept.reserveCapacity(current.count)
            var i = 0
            while i < current.count {
                let (c, len) = decodeUTF16(current, at: i)
                if cicu_u_charType(c) != Int8(U_NON_SPACING_MARK.rawValue) {
                    kept.append(contentsOf: current[i..<(i + len)])
                }
                i += len
            }
            current = apply(nfc, kept)
        }
        if foldApostrophes {
            // Typographic apostrophes are never ASCII, so all-ASCII tokens never need this step.
            for i in current.indices where current[i] == 0x2019 || current[i] == 0x2018 || current[i] == 0x02BC {
                current[i] = 0x27
            }
        }
        encodeUTF8(current, into: &out)
    }

    /// Normalizes a whole string (tests, user-given terms, small inputs).
    public func normalize(_ s: String) -> String {
        var out: [UInt8] = []
        var s = s
        s.withUTF8 { normalize($0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - ICU calls

    private func apply(_ n: OpaquePointer, _ input: [UInt16]) -> [UInt16] {
        if input.isEmpty { return input }
        var status = U_ZERO_ERROR
        let qc = input.withUnsafeBufferPointer { cicu_unorm2_quickCheck(n, $0.baseAddress, Int32($0.count), &status) }
        if !status.isFailure && qc == UNORM_YES { return input }
        var capacity = max(16, input.count * 3 + 8)
        while true {
            status = U_ZERO_ERROR
            var result = [UInt16](repeating: 0, count: capacity)
            let len = input.withUnsafeBufferPointer { s in
                result.withUnsafeMutableBufferPointer { d in
                    cicu_unorm2_normalize(n, s.baseAddress, Int32(s.count), d.baseAddress, Int32(d.count), &status)
                }
            }
            if status == U_BUFFER_OVERFLOW_ERROR {
                capacity = Int(len) + 1
                continue
            }
            if status.isFailure { return input }  // cannot happen for valid input; keep the text rather than lose it
            result.removeSubrange(Int(len)...)
            return result
        }
    }

    private func lowercase(_ input: [UInt16]) -> [UInt16] {
        if input.isEmpty { return input }
        var capacity = max(16, input.count * 3 + 8)
        while true {
            var status = U_ZERO_ERROR
            var result = [UInt16](repeating: 0, count: capacity)
            let len = locale.withCString { loc in
                input.withUnsafeBufferPointer { s in
                    result.withUnsafeMutableBufferPointer { d in
                        cicu_u_strToLower(d.baseAddress, Int32(d.count), s.baseAddress, Int32(s.count), loc, &status)
                    }
                }
            }
            if status == U_BUFFER_OVERFLOW_ERROR {
                capacity = Int(len) + 1
                continue
            }
            if status.isFailure { return input }
            result.removeSubrange(Int(len)...)
            return result
        }
    }
}

// MARK: - UTF-8 / UTF-16 transcoding (input is valid UTF-8)

@inline(__always)
func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    for x in b where x >= 0x80 { return false }
    return true
}

func decodeUTF8(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt16]) {
    out.removeAll(keepingCapacity: true)
    var i = 0
    let n = b.count
    while i < n {
        let c0 = UInt32(b[i])
        var c: UInt32
        if c0 < 0x80 {
            c = c0; i += 1
        } else if c0 < 0xE0 {
            c = (c0 & 0x1F) << 6 | (UInt32(b[i + 1]) & 0x3F); i += 2
        } else if c0 < 0xF0 {
            c = (c0 & 0x0F) << 12 | (UInt32(b[i + 1]) & 0x3F) << 6 | (UInt32(b[i + 2]) & 0x3F); i += 3
        } else {
            c = (c0 & 0x07) << 18 | (UInt32(b[i + 1]) & 0x3F) << 12 | (UInt32(b[i + 2]) & 0x3F) << 6 | (UInt32(b[i + 3]) & 0x3F); i += 4
        }
        if c < 0x10000 {
            out.append(UInt16(c))
        } else {
            let v = c - 0x10000
            out.append(UInt16(0xD800 + (v >> 10)))
            out.append(UInt16(0xDC00 + (v & 0x3FF)))
        }
    }
}

@inline(__always)
func decodeUTF16(_ u: [UInt16], at i: Int) -> (Int32, Int) {
    let a = u[i]
    if a >= 0xD800 && a < 0xDC00 && i + 1 < u.count {
        let b = u[i + 1]
        if b >= 0xDC00 && b < 0xE000 {
            return (Int32(0x10000 + ((UInt32(a) - 0xD800) << 10) + (UInt32(b) - 0xDC00)), 2)
        }
    }
    return (Int32(a), 1)
}

func encodeUTF8(_ u: [UInt16], into out: inout [UInt8]) {
    var i = 0
    while i < u.count {
        let (c32, len) = decodeUTF16(u, at: i)
        i += len
        var c = UInt32(c32)
        if c >= 0xD800 && c < 0xE000 { c = 0xFFFD }  // lone surrogate: cannot be encoded
        if c < 0x80 {
            out.append(UInt8(c))
        } else if c < 0x800 {
            out.append(UInt8(0xC0 | (c >> 6)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else if c < 0x10000 {
            out.append(UInt8(0xE0 | (c >> 12)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (c >> 18)))
            out.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (c & 0x3F)))
        }
    }
}
