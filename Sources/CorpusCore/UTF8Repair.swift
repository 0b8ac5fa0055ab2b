/// UTF-8 validation and repair: every maximal invalid subpart becomes U+FFFD (EF BF BD), following
/// the Unicode "substitution of maximal subparts" practice (what ICU and Swift's String do).
public enum UTF8Repair {
    /// Returns nil when `bytes` is valid UTF-8; else the repaired bytes and the byte offsets
    /// (in the input) of each invalid sequence.
    public static func repair(_ bytes: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], invalidOffsets: [Int])? {
        guard let firstBad = firstInvalidOffset(bytes) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 16)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<firstBad]))
        var offsets: [Int] = []
        var i = firstBad
        let n = bytes.count
        while i < n {
            let len = validSequenceLength(bytes, at: i)
            if len > 0 {
                for k in 0..<len { out.append(bytes[i + k]) }
                i += len
            } else {
                offsets.append(i)
                out.append(0xEF); out.append(0xBF); out.append(0xBD)
                i += max(1, maximalSubpartLength(bytes, at: i))
            }
        }
        return (out, offsets)
    }

    public static func repair(_ bytes: [UInt8]) -> (bytes: [UInt8], invalidOffsets: [Int])? {
        bytes.withUnsafeBufferPointer { repair($0) }
    }

    /// Offset of the first invalid sequence, or nil when valid. ASCII runs are skipped 8 bytes at a time.
    public static func firstInvalidOffset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var i = 0
        while i < n {
            if i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            if base[i] < 0x80 { i += 1; continue }
            let len = validSequenceLength(bytes, at: i)
            if len == 0 { return i }
            i += len
        }
        return nil
    }

    /// Length of the valid sequence starting at `i` (1...4), or 0 when invalid.
    @inline(__always)
    static func validSequenceLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = b.count
        let c0 = b[i]
        if c0 < 0x80 { return 1 }
        if c0 < 0xC2 { return 0 }
        if c0 < 0xE0 {
            guard i + 1 < n, b[i + 1] & 0xC0 == 0x80 else { return 0 }
            return 2
        }
        if c0 < 0xF0 {
            guard i + 2 < n else { return 0 }
            let c1 = b[i + 1]
            let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            guard c1 >= lo && c1 <= hi, b[i + 2] & 0xC0 == 0x80 else { return 0 }
            return 3
        }
        if c0 < 0xF5 {
            guard i + 3 < n else { return 0 }
            let c1 = b[i + 1]
            let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            guard c1 >= lo && c1 <= hi, b[i + 2] & 0xC0 == 0x80, b[i + 3] & 0xC0 == 0x80 else { return 0 }
            return 4
        }
        return 0
    }

    /// Length of the maximal subpart of an ill-formed sequence at `i` (at least 1).
    static func maximalSubpartLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let n = b.count
        let c0 = b[i]
        var need = 0
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch c0 {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return 1
        }
        var len = 1
        var j = i + 1
        while len <= need && j < n {
            let c = b[j]
            if len == 1 { guard c >= lo && c <= hi else { break } } else { guard c & 0xC0 == 0x80 else { break } }
            len += 1
            j += 1
        }
        return len
    }
}
