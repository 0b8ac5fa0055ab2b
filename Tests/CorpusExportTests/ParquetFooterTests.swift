import Foundation
import Testing
import CorpusTestSupport
@testable import CorpusExport

/// A minimal Thrift compact-protocol decoder (independent of the encoder) to inspect footers.
indirect enum TValue: Equatable {
    case int(Int64), bool(Bool), binary([UInt8]), list([TValue]), structure([Int16: TValue]), double(UInt64)

    subscript(_ id: Int16) -> TValue? {
        if case .structure(let f) = self { return f[id] }
        return nil
    }
    var int: Int64? { if case .int(let v) = self { return v }; return nil }
    var list: [TValue] { if case .list(let l) = self { return l }; return [] }
    var string: String? { if case .binary(let b) = self { return String(decoding: b, as: UTF8.self) }; return nil }
}

struct CompactReader {
    let data: [UInt8]
    var p: Int

    mutating func varint() throws -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while true {
            guard p < data.count else { throw ExportError.input("truncated varint") }
            let b = data[p]; p += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }
    mutating func zigzag() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }
    mutating func value(_ type: UInt8) throws -> TValue {
        switch type {
        case 1: return .bool(true)
        case 2: return .bool(false)
        case 3: p += 1; return .int(Int64(Int8(bitPattern: data[p - 1])))
        case 4, 5, 6: return .int(try zigzag())
        case 7:
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(data[p + k]) << (8 * UInt64(k)) }
            p += 8
            return .double(v)
        case 8:
            let n = Int(try varint())
            defer { p += n }
            return .binary(Array(data[p..<(p + n)]))
        case 9, 10:
            let h = data[p]; p += 1
            var n = Int(h >> 4)
            if n == 15 { n = Int(try varint()) }
            let et = h & 0x0F
            var out: [TValue] = []
            for _ in 0..<n { out.append(et == 1 || et == 2 ? .bool(data[p] == 1) : try value(et)); if et == 1 || et == 2 { p += 1 } }
            return .list(out)
        case 12: return try structure()
        default: throw ExportError.input("unsupported thrift type \(type) at \(p)")
        }
    }
    mutating func structure() throws -> TValue {
        var fields: [Int16: TValue] = [:]
        var last: Int16 = 0
        while true {
            let h = data[p]; p += 1
            if h == 0 { return .structure(fields) }
            let delta = Int16(h >> 4)
            let id: Int16 = delta != 0 ? last + delta : Int16(try zigzag())
            fields[id] = try value(h & 0x0F)
            last = id
        }
    }
}

func readFooter(_ path: String) throws -> (TValue, [UInt8]) {
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let n = data.count
    let len = Int(data[n - 8]) | Int(data[n - 7]) << 8 | Int(data[n - 6]) << 16 | Int(data[n - 5]) << 24
    var r = CompactReader(data: data, p: n - 8 - len)
    let meta = try r.structure()
    #expect(r.p == n - 8, "footer length matches its content")
    return (meta, data)
}

@Suite("Parquet footer (decoded independently)")
struct ParquetFooterTests {
    @Test func schemaRowGroupsAndMetadata() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.parquet").path
        var o = SinkOptions()
        o.rowGroupRows = 1000
        o.compression = .zstd
        o.metadata = [("corpuskit.command", "terms"), ("icu", "72.1")]
        let cols = [Column("term", .string), Column("count", .int64), Column("pm", .double, nullable: true), Column("day", .date)]
        let w = try makeTableWriter(format: .parquet, columns: cols, path: path, options: o)
        for i in 0..<2500 { try w.write([.string("t\(i % 10)"), .int(Int64(i)), i % 2 == 0 ? .null : .double(Double(i)), .date(Int32(i))]) }
        try w.finish()
        let (meta, data) = try readFooter(path)
        #expect(meta[1]?.int == 2)
        #expect(meta[3]?.int == 2500)
        let schema = meta[2]!.list
        #expect(schema.count == 5)
        #expect(schema[0][4]?.string == "schema" && schema[0][5]?.int == 4)
        #expect(schema.dropFirst().map { $0[4]?.string } == ["term", "count", "pm", "day"])
        #expect(schema.dropFirst().map { $0[1]?.int } == [6, 2, 5, 1])  // BYTE_ARRAY, INT64, DOUBLE, INT32
        #expect(schema.dropFirst().map { $0[3]?.int } == [0, 0, 1, 0])  // REQUIRED / OPTIONAL
        #expect(schema[1][6]?.int == 0 && schema[4][6]?.int == 6)  // UTF8, DATE
        #expect(schema[1][10]?[1] == .structure([:]) && schema[4][10]?[6] == .structure([:]))
        let groups = meta[4]!.list
        #expect(groups.map { $0[3]?.int } == [1000, 1000, 500])
        for g in groups {
            let chunks = g[1]!.list
            #expect(chunks.count == 4)
            for c in chunks {
                let md = c[3]!
                #expect(md[4]?.int == 6)  // ZSTD
                #expect(md[5]?.int == g[3]?.int)
                // The first page header sits where the metadata says, and sizes add up.
                let first = Int(md[11]?.int ?? md[9]!.int!)
                var r = CompactReader(data: data, p: first)
                let header = try r.structure()
                #expect(header[1]?.int == (md[11] != nil ? 2 : 0))
            }
            let term = chunks[0][3]!
            #expect(term[2]!.list == [.int(0), .int(3), .int(8)])  // PLAIN, RLE, RLE_DICTIONARY
            #expect(term[12]?[6]?.string == "t0" && term[12]?[5]?.string == "t9")
            #expect(chunks[2][3]![12]?[3]?.int == (g[3]!.int! / 2))  // null count
        }
        let kv = meta[5]!.list.map { ($0[1]!.string!, $0[2]!.string!) }
        #expect(kv.map(\.0) == ["corpuskit.command", "icu"] && kv.map(\.1) == ["terms", "72.1"])
        #expect(meta[7]!.list.count == 4)
    }

    @Test func rowGroupsAreBoundedByBytes() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("b.parquet").path
        var o = SinkOptions()
        o.rowGroupBytes = 256 << 10
        let w = try makeTableWriter(format: .parquet, columns: [Column("term", .string), Column("n", .int64)], path: path, options: o)
        for i in 0..<40_000 { try w.write([.string("a-fairly-long-unique-term-\(i)"), .int(Int64(i))]) }
        try w.finish()
        let (meta, _) = try readFooter(path)
        let sizes = meta[4]!.list.map { $0[3]!.int! }
        #expect(sizes.reduce(0, +) == 40_000)
        #expect(sizes.count > 3)
        #expect(sizes.allSatisfy { $0 % 4096 == 0 || $0 == sizes.last })
        // A unique-term column falls back from its dictionary to PLAIN once the dictionary is large.
        var small = SinkOptions()
        small.dictionaryBytesLimit = 4096
        let p2 = dir.appendingPathComponent("c.parquet").path
        let w2 = try makeTableWriter(format: .parquet, columns: [Column("term", .string)], path: p2, options: small)
        for i in 0..<5000 { try w2.write([.string("unique-\(i)")]) }
        try w2.finish()
        let (m2, _) = try readFooter(p2)
        let md = m2[4]!.list[0][1]!.list[0][3]!
        #expect(md[11] == nil && md[2]!.list == [.int(0), .int(3)])
    }

    @Test func emptyTableHasNoRowGroups() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("e.parquet").path
        let w = try makeTableWriter(format: .parquet, columns: [Column("term", .string)], path: path, options: SinkOptions())
        try w.finish()
        let (meta, data) = try readFooter(path)
        #expect(meta[3]?.int == 0 && meta[4]!.list.isEmpty)
        #expect(Array(data.prefix(4)) == Array("PAR1".utf8))
    }
}
