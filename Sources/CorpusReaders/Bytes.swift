#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers: word-at-a-time scans (exact, no borrow false positives) and transcoding.
enum Bytes {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080
    static let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// High bit set in every byte of `x` that is zero (exact).
    @inline(__always) static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & lows) &+ lows) | x | lows)
    }

    /// Number of `c` bytes in `p[0..<n]` (memchr hops: fast for text lines of any length).
    static func count(_ c: UInt8, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var total = 0
        var i = 0
        while i < n {
            guard let r = memchr(p + i, Int32(c), n - i) else { break }
            i = p.distance(to: r.assumingMemoryBound(to: UInt8.self)) + 1
            total += 1
        }
        return total
    }

    static func count(_ c: UInt8, in b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = b.baseAddress, !range.isEmpty else { return 0 }
        return count(c, base + range.lowerBound, range.count)
    }

    /// Index of the first `c` in `p[from..<to]`, or `to`.
    @inline(__always) static func find(_ c: UInt8, _ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard from < to else { return to }
        guard let r = memchr(p + from, Int32(c), to - from) else { return to }
        return p.distance(to: r.assumingMemoryBound(to: UInt8.self))
    }

    /// Index of the last `c` in `p[0..<n]`, or nil.
    static func findLast(_ c: UInt8, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var i = n
        while i >= 8 {
            let w = UnsafeRawPointer(p + i - 8).loadUnaligned(as: UInt64.self) ^ (ones &* UInt64(c))
            let z = zeroBytes(w)
            if z != 0 { return i - 8 + (63 - z.leadingZeroBitCount) / 8 }
            i -= 8
        }
        while i > 0 { i -= 1; if p[i] == c { return i } }
        return nil
    }

    /// Length of the leading run of bytes < 0x80 (32 bytes at a time).
    static func asciiPrefixLength(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        while i + 32 <= n {
            let r = UnsafeRawPointer(p + i)
            let acc = r.loadUnaligned(fromByteOffset: 0, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | r.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            if acc & highs != 0 { break }
            i += 32
        }
        while i < n && p[i] < 0x80 { i += 1 }
        return i
    }

    /// True when all bytes are < 0x80.
    static func isASCII(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        var acc: UInt64 = 0
        while i + 32 <= n {
            let r = UnsafeRawPointer(p + i)
            acc |= r.loadUnaligned(fromByteOffset: 0, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | r.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | r.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            if acc & highs != 0 { return false }
            i += 32
        }
        while i < n { if p[i] >= 0x80 { return false }; i += 1 }
        return acc & highs == 0
    }

    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 }

    /// The range without leading/trailing blanks (space, tab, CR, LF).
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi, isBlank(b[lo]) { lo += 1 }
        while hi > lo, isBlank(b[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    /// Windows-1252 0x80–0x9F → code points (WHATWG table; undefined bytes map to the C1 control of the same value).
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Transcodes Latin-1 or Windows-1252 bytes to UTF-8; nil when the input is pure ASCII (already UTF-8).
    static func transcodeToUTF8(_ b: UnsafeBufferPointer<UInt8>, windows1252: Bool) -> [UInt8]? {
        guard let base = b.baseAddress, !isASCII(base, b.count) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(b.count + b.count / 8 + 16)
        var runStart = 0
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<i])) }
            let cp: UInt32 = (windows1252 && c < 0xA0) ? UInt32(cp1252High[Int(c - 0x80)]) : UInt32(c)
            appendUTF8(&out, cp)
            i += 1
            runStart = i
        }
        if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[runStart..<n])) }
        return out
    }

    /// Writes the UTF-8 form of `cp` at `o`; returns the byte count (1...4).
    @inline(__always) static func writeUTF8(_ o: UnsafeMutablePointer<UInt8>, _ cp: UInt32) -> Int {
        if cp < 0x80 { o[0] = UInt8(cp); return 1 }
        if cp < 0x800 { o[0] = UInt8(0xC0 | (cp >> 6)); o[1] = UInt8(0x80 | (cp & 0x3F)); return 2 }
        if cp < 0x10000 {
            o[0] = UInt8(0xE0 | (cp >> 12)); o[1] = UInt8(0x80 | ((cp >> 6) & 0x3F)); o[2] = UInt8(0x80 | (cp & 0x3F))
            return 3
        }
        o[0] = UInt8(0xF0 | (cp >> 18)); o[1] = UInt8(0x80 | ((cp >> 12) & 0x3F))
        o[2] = UInt8(0x80 | ((cp >> 6) & 0x3F)); o[3] = UInt8(0x80 | (cp & 0x3F))
        return 4
    }

    @inline(__always) static func appendUTF8(_ out: inout [UInt8], _ cp: UInt32) {
        if cp < 0x80 {
            out.append(UInt8(cp))
        } else if cp < 0x800 {
            out.append(UInt8(0xC0 | (cp >> 6)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        } else if cp < 0x10000 {
            out.append(UInt8(0xE0 | (cp >> 12)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (cp >> 18)))
            out.append(UInt8(0x80 | ((cp >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((cp >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (cp & 0x3F)))
        }
    }
}
