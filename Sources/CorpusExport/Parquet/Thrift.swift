/// Thrift compact protocol encoder — just what the Parquet footer and page headers need.
///
/// Field header: one byte `(delta << 4) | type` when the field id is 1...15 above the previous field
/// of the same struct, else the type byte followed by the zigzag-varint field id. Integers are
/// zigzag varints (ULEB128); binary/strings a varint length then the bytes; lists a byte
/// `(size << 4) | elemType` (size < 15) or `0xF0 | elemType` then a varint size; booleans live in
/// the type nibble of their field header; a struct ends with a 0 byte.
struct ThriftCompactWriter {
    enum CType: UInt8 {
        case boolTrue = 1, boolFalse = 2, byte = 3, i16 = 4, i32 = 5, i64 = 6, double = 7
        case binary = 8, list = 9, set = 10, map = 11, structure = 12
    }

    private(set) var bytes: [UInt8] = []
    private var lastFieldID: [Int16] = [0]

    init() { bytes.reserveCapacity(256) }

    static func zigzag32(_ v: Int32) -> UInt32 { UInt32(bitPattern: (v << 1) ^ (v >> 31)) }
    static func zigzag64(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func fieldHeader(_ id: Int16, _ type: CType) {
        let last = lastFieldID[lastFieldID.count - 1]
        let delta = Int(id) - Int(last)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta << 4) | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(UInt64(Self.zigzag32(Int32(id))))
        }
        lastFieldID[lastFieldID.count - 1] = id
    }

    mutating func i32(_ id: Int16, _ v: Int32) { fieldHeader(id, .i32); varint(UInt64(Self.zigzag32(v))) }
    mutating func i64(_ id: Int16, _ v: Int64) { fieldHeader(id, .i64); varint(Self.zigzag64(v)) }
    mutating func bool(_ id: Int16, _ v: Bool) { fieldHeader(id, v ? .boolTrue : .boolFalse) }
    mutating func binary(_ id: Int16, _ v: [UInt8]) { fieldHeader(id, .binary); rawBinary(v) }
    mutating func string(_ id: Int16, _ v: String) { binary(id, Array(v.utf8)) }

    mutating func rawBinary(_ v: [UInt8]) {
        varint(UInt64(v.count))
        bytes.append(contentsOf: v)
    }
    mutating func rawI32(_ v: Int32) { varint(UInt64(Self.zigzag32(v))) }

    /// A struct-valued field: write its fields, then `endStruct()`.
    mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, .structure)
        lastFieldID.append(0)
    }
    /// A struct that is a list element (no field header).
    mutating func beginElementStruct() { lastFieldID.append(0) }
    mutating func endStruct() {
        bytes.append(0)
        lastFieldID.removeLast()
    }
    /// The top-level struct's stop byte.
    mutating func stop() { bytes.append(0) }

    mutating func listHeader(_ id: Int16, _ elem: CType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count << 4) | elem.rawValue)
        } else {
            bytes.append(0xF0 | elem.rawValue)
            varint(UInt64(count))
        }
    }

    mutating func listI32(_ id: Int16, _ values: [Int32]) {
        listHeader(id, .i32, count: values.count)
        for v in values { rawI32(v) }
    }

    mutating func listString(_ id: Int16, _ values: [String]) {
        listHeader(id, .binary, count: values.count)
        for v in values { rawBinary(Array(v.utf8)) }
    }
}
