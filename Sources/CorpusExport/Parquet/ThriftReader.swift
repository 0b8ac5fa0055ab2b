/// A malformed or unsupported Parquet file: `reason` is a one-line message without the file name
/// (`ParquetReader` prefixes it and rethrows it as `ExportError.input`).
struct ParquetFormatError: Error, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}

/// Thrift compact protocol decoder over borrowed bytes — just what Parquet footers and page headers need.
///
/// Every read is bounds-checked and throws `ParquetFormatError` on truncated or inconsistent input:
/// varints are at most 10 bytes, binary lengths and list sizes are checked against the bytes left,
/// and structs nest at most 64 deep. See `ThriftCompactWriter` for the wire format.
struct ThriftCompactReader {
    /// Compact-protocol type codes.
    enum T {
        static let boolTrue: UInt8 = 1, boolFalse: UInt8 = 2, byte: UInt8 = 3, i16: UInt8 = 4, i32: UInt8 = 5
        static let i64: UInt8 = 6, double: UInt8 = 7, binary: UInt8 = 8, list: UInt8 = 9, set: UInt8 = 10
        static let map: UInt8 = 11, structure: UInt8 = 12
    }

    let buf: UnsafeRawBufferPointer
    private(set) var pos: Int
    private var depth = 0
    static let maxDepth = 64

    init(_ buf: UnsafeRawBufferPointer, at pos: Int = 0) {
        self.buf = buf
        self.pos = pos
    }

    var remaining: Int { buf.count - pos }

    mutating func byte() throws -> UInt8 {
        guard pos < buf.count else { throw ParquetFormatError("truncated Thrift data") }
        let b = buf[pos]
        pos += 1
        return b
    }

    mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<10 {
            let b = try byte()
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        throw ParquetFormatError("bad Thrift varint (more than 10 bytes)")
    }

    mutating func zigzag() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// An integer field of any integer type (byte, i16, i32, i64).
    mutating func int(_ type: UInt8) throws -> Int64 {
        switch type {
        case T.byte: return Int64(Int8(bitPattern: try byte()))
        case T.i16, T.i32, T.i64: return try zigzag()
        default: throw ParquetFormatError("Thrift type \(type) where an integer was expected")
        }
    }

    /// An integer field that must fit an `Int32` (Parquet's i32 fields).
    mutating func int32(_ type: UInt8) throws -> Int32 {
        let v = try int(type)
        guard let r = Int32(exactly: v) else { throw ParquetFormatError("Thrift i32 out of range (\(v))") }
        return r
    }

    /// A boolean struct field (its value lives in the field header's type).
    func bool(_ type: UInt8) throws -> Bool {
        switch type {
        case T.boolTrue: return true
        case T.boolFalse: return false
        default: throw ParquetFormatError("Thrift type \(type) where a boolean was expected")
        }
    }

    /// The bytes of a binary/string value (borrowed; valid while `buf` is).
    mutating func binary(_ type: UInt8) throws -> UnsafeRawBufferPointer {
        guard type == T.binary else { throw ParquetFormatError("Thrift type \(type) where a string was expected") }
        let n = try varint()
        guard n <= UInt64(remaining) else { throw ParquetFormatError("Thrift string of \(n) bytes past the end of its data") }
        let r = UnsafeRawBufferPointer(rebasing: buf[pos..<(pos + Int(n))])
        pos += Int(n)
        return r
    }

    mutating func string(_ type: UInt8) throws -> String {
        String(decoding: try binary(type), as: UTF8.self)
    }

    /// A list/set header: element type and count (the count is bounded by the bytes left, each element
    /// taking at least one byte).
    mutating func listHeader(_ type: UInt8) throws -> (elementType: UInt8, count: Int) {
        guard type == T.list || type == T.set else { throw ParquetFormatError("Thrift type \(type) where a list was expected") }
        let h = try byte()
        var n = UInt64(h >> 4)
        if n == 15 { n = try varint() }
        let et = h & 0x0F
        guard n <= UInt64(remaining) else { throw ParquetFormatError("Thrift list of \(n) elements past the end of its data") }
        return (et, Int(n))
    }

    /// Calls `body` with each field of a struct (reader, field id, type) until its stop byte. `body` must
    /// read the value or call `skip(type)`.
    mutating func forEachField(_ body: (inout ThriftCompactReader, Int16, UInt8) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ParquetFormatError("Thrift structs nested too deep") }
        var last: Int16 = 0
        while true {
            let h = try byte()
            if h == 0 { return }
            let type = h & 0x0F
            let delta = h >> 4
            let id: Int16
            if delta != 0 {
                let (s, o) = last.addingReportingOverflow(Int16(delta))
                guard !o else { throw ParquetFormatError("bad Thrift field id") }
                id = s
            } else {
                let v = try zigzag()
                guard let i = Int16(exactly: v) else { throw ParquetFormatError("bad Thrift field id \(v)") }
                id = i
            }
            last = id
            try body(&self, id, type)
        }
    }

    /// Skips one value of `type`.
    mutating func skip(_ type: UInt8) throws {
        switch type {
        case T.boolTrue, T.boolFalse: return
        case T.byte: _ = try byte()
        case T.i16, T.i32, T.i64: _ = try varint()
        case T.double:
            guard remaining >= 8 else { throw ParquetFormatError("truncated Thrift data") }
            pos += 8
        case T.binary: _ = try binary(type)
        case T.list, T.set:
            let (et, n) = try listHeader(type)
            try nested {
                for _ in 0..<n {
                    if et == T.boolTrue || et == T.boolFalse { _ = try $0.byte() } else { try $0.skip(et) }
                }
            }
        case T.map:
            let n = try varint()
            guard n > 0 else { return }
            guard n <= UInt64(remaining) else { throw ParquetFormatError("Thrift map past the end of its data") }
            let kv = try byte()
            let kt = kv >> 4, vt = kv & 0x0F
            try nested {
                for _ in 0..<Int(n) {
                    if kt == T.boolTrue || kt == T.boolFalse { _ = try $0.byte() } else { try $0.skip(kt) }
                    if vt == T.boolTrue || vt == T.boolFalse { _ = try $0.byte() } else { try $0.skip(vt) }
                }
            }
        case T.structure:
            try forEachField { r, _, t in try r.skip(t) }
        default:
            throw ParquetFormatError("unknown Thrift type \(type)")
        }
    }

    private mutating func nested(_ body: (inout ThriftCompactReader) throws -> Void) throws {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else { throw ParquetFormatError("Thrift data nested too deep") }
        try body(&self)
    }
}
