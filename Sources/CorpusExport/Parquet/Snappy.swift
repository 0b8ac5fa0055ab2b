/// Raw Snappy block decompression (the format Parquet's SNAPPY codec stores: no framing, no CRC),
/// written from Snappy's format description.
///
/// A block is the uncompressed length as a varint (at most 32 bits), then elements, each starting
/// with a tag byte whose low 2 bits give its kind:
/// - `00` literal: the upper 6 bits are length − 1 when below 60; 60...63 mean the length − 1
///   follows in 1...4 little-endian bytes. The literal bytes follow.
/// - `01` copy with a 1-byte offset: length 4 + bits 2...4, offset bits 5...7 (high) and the next byte.
/// - `10` copy with a 2-byte offset: length 1 + upper 6 bits, offset 2 bytes little-endian.
/// - `11` copy with a 4-byte offset: length 1 + upper 6 bits, offset 4 bytes little-endian.
/// A copy repeats `length` bytes starting `offset` bytes back in the output (they may overlap it).
enum Snappy {
    /// The uncompressed length a block declares (its leading varint), or nil when it is malformed.
    static func uncompressedLength(_ input: UnsafeRawBufferPointer) -> Int? {
        var p = 0
        return readLength(input, &p)
    }

    private static func readLength(_ input: UnsafeRawBufferPointer, _ p: inout Int) -> Int? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<5 {
            guard p < input.count else { return nil }
            let b = input[p]
            p += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v <= UInt64(UInt32.max) ? Int(v) : nil }
            shift += 7
        }
        return nil
    }

    /// Decompresses a block whose uncompressed length must be `expected` (the page header's size).
    static func decompress(_ input: UnsafeRawBufferPointer, expected: Int) throws -> [UInt8] {
        var p = 0
        guard let n = readLength(input, &p) else { throw ParquetFormatError("snappy: bad length header") }
        guard n == expected else {
            throw ParquetFormatError("snappy: block holds \(n) bytes, the page header says \(expected)")
        }
        var out = [UInt8](repeating: 0, count: n)
        var o = 0
        try out.withUnsafeMutableBufferPointer { dst in
            let end = input.count
            while p < end {
                let tag = input[p]
                p += 1
                switch tag & 3 {
                case 0:
                    var len = Int(tag >> 2)
                    if len >= 60 {
                        let extra = len - 59
                        guard end - p >= extra else { throw ParquetFormatError("snappy: truncated literal length") }
                        var l = 0
                        for k in 0..<extra { l |= Int(input[p + k]) << (8 * k) }
                        p += extra
                        len = l
                    }
                    len += 1
                    guard len <= end - p else { throw ParquetFormatError("snappy: literal past the end of the input") }
                    guard len <= n - o else { throw ParquetFormatError("snappy: literal past the declared length") }
                    for k in 0..<len { dst[o + k] = input[p + k] }
                    p += len
                    o += len
                default:
                    let len: Int, offset: Int
                    switch tag & 3 {
                    case 1:
                        guard p < end else { throw ParquetFormatError("snappy: truncated copy") }
                        len = 4 + Int((tag >> 2) & 7)
                        offset = Int(tag >> 5) << 8 | Int(input[p])
                        p += 1
                    case 2:
                        guard end - p >= 2 else { throw ParquetFormatError("snappy: truncated copy") }
                        len = 1 + Int(tag >> 2)
                        offset = Int(input[p]) | Int(input[p + 1]) << 8
                        p += 2
                    default:
                        guard end - p >= 4 else { throw ParquetFormatError("snappy: truncated copy") }
                        len = 1 + Int(tag >> 2)
                        offset = Int(input[p]) | Int(input[p + 1]) << 8 | Int(input[p + 2]) << 16 | Int(input[p + 3]) << 24
                        p += 4
                    }
                    guard offset > 0 && offset <= o else { throw ParquetFormatError("snappy: copy offset \(offset) out of range") }
                    guard len <= n - o else { throw ParquetFormatError("snappy: copy past the declared length") }
                    var s = o - offset
                    for _ in 0..<len {
                        dst[o] = dst[s]
                        o += 1
                        s += 1
                    }
                }
            }
        }
        guard o == n else { throw ParquetFormatError("snappy: block ends after \(o) of \(n) bytes") }
        return out
    }
}
