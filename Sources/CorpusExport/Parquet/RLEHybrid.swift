/// Parquet's RLE / bit-packing hybrid encoding (definition levels, dictionary indices).
///
/// A stream of runs: an RLE run is the varint header `count << 1` then the value in
/// `ceil(bitWidth / 8)` little-endian bytes; a bit-packed run is the varint header
/// `(groups << 1) | 1` then `groups * 8` values packed LSB-first in `groups * bitWidth` bytes.
/// Repeats of 8 or more become RLE runs; other values are bit-packed in groups of 8 (at most 63
/// groups per run, as parquet-cpp writes); the last group is padded with zeros (readers stop at
/// the page's value count).
enum RLEHybrid {
    static func bitWidth(forMax maxValue: UInt32) -> Int {
        maxValue == 0 ? 0 : 32 - maxValue.leadingZeroBitCount
    }

    static func encode<C: RandomAccessCollection>(_ values: C, bitWidth: Int, into out: inout [UInt8]) where C.Element: BinaryInteger, C.Index == Int {
        precondition(bitWidth >= 0 && bitWidth <= 32)
        var literals: [UInt32] = []
        literals.reserveCapacity(504)
        let byteWidth = (bitWidth + 7) / 8

        func putVarint(_ v: UInt64, _ out: inout [UInt8]) {
            var v = v
            while v >= 0x80 { out.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        func flushLiterals(_ count: Int, _ out: inout [UInt8]) {
            // `count` values from the front of `literals`, padded to a multiple of 8.
            guard count > 0 else { return }
            let groups = (count + 7) / 8
            putVarint(UInt64(groups << 1 | 1), &out)
            var acc: UInt64 = 0
            var bits = 0
            for k in 0..<(groups * 8) {
                let v = k < count ? UInt64(literals[k]) : 0
                acc |= v << UInt64(bits)
                bits += bitWidth
                while bits >= 8 {
                    out.append(UInt8(truncatingIfNeeded: acc))
                    acc >>= 8
                    bits -= 8
                }
            }
            if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }  // only when bitWidth*8 not byte-aligned: never
            literals.removeFirst(count)
        }
        func putRun(_ value: UInt32, _ count: Int, _ out: inout [UInt8]) {
            putVarint(UInt64(count) << 1, &out)
            var v = value
            for _ in 0..<byteWidth { out.append(UInt8(truncatingIfNeeded: v)); v >>= 8 }
        }

        var i = values.startIndex
        let end = values.endIndex
        while i < end {
            let v = values[i]
            var j = i + 1
            while j < end && values[j] == v { j += 1 }
            let r = j - i
            let u = UInt32(truncatingIfNeeded: v)
            if r >= 8 {
                let k = (8 - literals.count % 8) % 8
                if r - k >= 8 {
                    for _ in 0..<k { literals.append(u) }
                    flushLiterals(literals.count, &out)
                    putRun(u, r - k, &out)
                } else {
                    for _ in 0..<r { literals.append(u) }
                }
            } else {
                for _ in 0..<r { literals.append(u) }
            }
            while literals.count >= 504 { flushLiterals(504, &out) }
            i = j
        }
        flushLiterals(literals.count, &out)
    }

    /// Decoder (for tests): `count` values.
    static func decode(_ data: [UInt8], bitWidth: Int, count: Int) -> [UInt32]? {
        var out: [UInt32] = []
        var p = 0
        func varint() -> UInt64? {
            var v: UInt64 = 0, shift: UInt64 = 0
            while p < data.count {
                let b = data[p]; p += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        let byteWidth = (bitWidth + 7) / 8
        while out.count < count {
            guard let h = varint() else { return nil }
            if h & 1 == 0 {
                let n = Int(h >> 1)
                var v: UInt32 = 0
                for k in 0..<byteWidth {
                    guard p < data.count else { return nil }
                    v |= UInt32(data[p]) << (8 * k); p += 1
                }
                for _ in 0..<n { out.append(v) }
            } else {
                let n = Int(h >> 1) * 8
                var acc: UInt64 = 0, bits = 0
                for _ in 0..<n {
                    while bits < bitWidth {
                        guard p < data.count else { return nil }
                        acc |= UInt64(data[p]) << UInt64(bits); p += 1; bits += 8
                    }
                    let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
                    out.append(UInt32(truncatingIfNeeded: acc & mask))
                    acc >>= UInt64(bitWidth); bits -= bitWidth
                }
            }
        }
        return Array(out.prefix(count))
    }

    /// Reader's decoder: appends `count` values decoded from `data` to `out`, returning the bytes read.
    /// Bounds-checked (throws `ParquetFormatError` when the data ends first); a final bit-packed run may
    /// stop short of its declared groups once `count` values are out.
    @discardableResult
    static func decode(_ data: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: inout [UInt32]) throws -> Int {
        guard bitWidth >= 0 && bitWidth <= 32 else { throw ParquetFormatError("RLE bit width \(bitWidth) out of range") }
        guard count > 0 else { return 0 }
        let byteWidth = (bitWidth + 7) / 8
        let mask: UInt64 = (1 << UInt64(bitWidth)) - 1
        var p = 0
        var left = count
        let end = data.count
        while left > 0 {
            var h: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard p < end, shift < 64 else { throw ParquetFormatError("RLE data ends early") }
                let b = data[p]
                p += 1
                h |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            if h & 1 == 0 {
                let n = h >> 1
                guard end - p >= byteWidth else { throw ParquetFormatError("RLE data ends early") }
                var v: UInt32 = 0
                for k in 0..<byteWidth { v |= UInt32(data[p + k]) << (8 * k) }
                p += byteWidth
                guard UInt64(v) <= mask else { throw ParquetFormatError("RLE run value wider than its bit width") }
                let take = Int(min(n, UInt64(left)))
                out.append(contentsOf: repeatElement(v, count: take))
                left -= take
            } else {
                let groups = h >> 1
                guard groups <= UInt64(Int32.max) else { throw ParquetFormatError("RLE bit-packed run too long") }
                let n = Int(groups) * 8
                let take = min(n, left)
                let needBytes = (take * bitWidth + 7) / 8
                guard end - p >= needBytes else { throw ParquetFormatError("RLE data ends early") }
                if bitWidth == 0 {
                    out.append(contentsOf: repeatElement(0, count: take))
                } else {
                    var acc: UInt64 = 0, bits = 0
                    var q = p
                    for _ in 0..<take {
                        while bits < bitWidth {
                            acc |= UInt64(data[q]) << UInt64(bits)
                            q += 1
                            bits += 8
                        }
                        out.append(UInt32(truncatingIfNeeded: acc & mask))
                        acc >>= UInt64(bitWidth)
                        bits -= bitWidth
                    }
                }
                // Skip the whole run when its bytes are there (a run cut short at the end is tolerated).
                p += min(end - p, (n * bitWidth + 7) / 8)
                left -= take
            }
        }
        return p
    }
}
