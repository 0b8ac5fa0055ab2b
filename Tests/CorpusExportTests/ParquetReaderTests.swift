import Foundation
import Testing
import CorpusTestSupport
@testable import CorpusExport

private func fixture(_ name: String) -> String { TestPaths.fixture("CorpusExportTests", name).path }

/// The table of scripts/parquet-fixtures.py.
private enum Expected {
    static let i32: [Int64?] = [1, nil, -3, 2147483647, -2147483648, 0, 42]
    static let i64: [Int64?] = [1 << 40, 5, nil, .min, .max, 0, -1]
    static let f32: [Double?] = [Double(Float(0.1)), nil, 2.5, -0.0, .infinity, Double(Float(1e-45)), Double(Float(3.4e38))]
    static let f64: [Double?] = [0.1, .nan, -0.0, 1e300, nil, 5e-324, -1.5]
    static let s: [String?] = ["héllo", nil, "", "東京", String(repeating: "x", count: 300), "tab\t", "héllo"]
    // Days since 1970-01-01 of 2020-01-02, -, 1969-12-31, 1970-01-01, 0001-01-01, 9999-12-31, 2000-02-29.
    static let d: [Int64?] = [18263, nil, -1, 0, -719162, 2932896, 11016]
    static let b: [Int64?] = [1, nil, 0, 1, 1, 0, nil]
}

private func sameDouble(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern
    default: return false
    }
}

@Suite("ParquetReader")
struct ParquetReaderTests {
    @Test(arguments: ["pyarrow-snappy-v1-dict.parquet", "pyarrow-zstd-v2-delta.parquet", "pyarrow-gzip-v2-plain.parquet"])
    func pyarrowFixture(_ name: String) throws {
        let r = try ParquetReader(path: fixture(name))
        #expect(r.rowCount == 7)
        #expect(r.columns.map(\.name) == ["i32", "i64", "f32", "f64", "s", "d", "b"])
        #expect(r.columns.map(\.physical) == [.int32, .int64, .float, .double, .byteArray, .int32, .boolean])
        #expect(r.columns.map(\.logical) == [.none, .none, .none, .none, .string, .date, .none])
        #expect(r.columns.allSatisfy { $0.optional })
        #expect(r.keyValueMetadata.contains { $0.key == "ARROW:schema" })
        let i32 = try r.read(column: "i32"), i64 = try r.read(column: "i64"), f32 = try r.read(column: "f32")
        let f64 = try r.read(column: "f64"), s = try r.read(column: "s"), d = try r.read(column: "d"), b = try r.read(column: "b")
        for col in [i32, i64, f32, f64, s, d, b] { #expect(col.count == 7) }
        for i in 0..<7 {
            #expect(i32.int64(i) == Expected.i32[i])
            #expect(i64.int64(i) == Expected.i64[i])
            #expect(sameDouble(f32.double(i), Expected.f32[i]))
            #expect(sameDouble(f64.double(i), Expected.f64[i]))
            #expect(s.string(i) == Expected.s[i])
            #expect(d.int64(i) == Expected.d[i])
            #expect(b.int64(i) == Expected.b[i])
            #expect(s.isNull(i) == (Expected.s[i] == nil))
            #expect(s.withBytes(i) { Array($0) } == Expected.s[i].map { Array($0.utf8) })
        }
        // Wrong-kind accessors answer nil.
        #expect(i32.double(0) == nil && i32.string(0) == nil && f64.int64(0) == nil)
        // Row groups one by one add up to the whole column.
        var n = 0
        for g in 0..<r.rowGroupCount { n += try r.read(column: "s", rowGroup: g).count }
        #expect(n == 7)
    }

    /// Files Apache Spark 4.3 (parquet-mr 1.17) wrote (scripts/parquet-fixtures.py --spark): row i holds
    /// values computed from i, its column n.
    @Test(arguments: ["snappy", "zstd", "gzip", "uncompressed", "v2-snappy", "v2-nodict"])
    func sparkFixture(_ variant: String) throws {
        let r = try ParquetReader(path: fixture("spark/spark-\(variant).parquet"))
        #expect(r.rowCount == 2000)
        #expect(r.columns.map(\.name) == ["i32", "i64", "f64", "f32", "s", "d", "b", "n"])
        #expect(r.columns.map(\.optional) == [true, true, true, true, true, true, true, false])
        #expect(r.columns[4].logical == .string && r.columns[5].logical == .date)
        #expect(r.keyValueMetadata.contains { $0.key == "org.apache.spark.version" })
        let c = try r.columns.map { try r.read(column: $0.name) }
        let words: [String?] = ["oil", "Ölpreis", "東京", "", "tab\there", String(repeating: "x", count: 300), nil]
        var seen = Set<Int>()
        for row in 0..<2000 {
            guard let n = c[7].int64(row) else { Issue.record("null n"); continue }
            let i = Int(n)
            seen.insert(i)
            #expect(c[0].int64(row) == (i % 7 != 0 ? Int64(i) : nil))
            #expect(c[1].int64(row) == (i % 11 != 0 ? Int64(i) * 1000003 - (1 << 40) : nil))
            #expect(c[2].double(row) == (i % 13 != 0 ? Double(i) / 3 : nil))
            #expect(c[3].double(row) == (i % 5 != 0 ? Double(Float(Double(i) / 7)) : nil))
            #expect(c[4].string(row) == (i % 3 != 0 ? words[i % 7] : "w\(i % 50)"))
            #expect(c[5].int64(row) == (i % 17 != 0 ? Int64(10957 + i % 4000) : nil))  // 2000-01-01 is day 10957
            #expect(c[6].int64(row) == (i % 19 != 0 ? (i % 2 == 0 ? 1 : 0) : nil))
        }
        #expect(seen.count == 2000)
    }

    @Test func sparkAggregateAndEmpty() throws {
        let agg = try ParquetReader(path: fixture("spark/spark-agg.parquet"))
        #expect(agg.columns.map(\.name) == ["s", "count"])
        let counts = try agg.read(column: "count")
        var total: Int64 = 0
        for i in 0..<counts.count { total += counts.int64(i) ?? 0 }
        #expect(total == 2000)
        let empty = try ParquetReader(path: fixture("spark/spark-empty.parquet"))
        #expect(empty.rowCount == 0 && empty.columns.count == 8)
        #expect(try empty.read(column: "s").count == 0)
    }

    @Test func nestedColumnIsRefused() {
        #expect {
            try ParquetReader(path: fixture("pyarrow-nested.parquet"))
        } throws: { e in
            "\(e)".contains("nested column 'tags' is not supported")
        }
    }

    /// The project's own writer, every compression, nullable and required columns, several row groups,
    /// dictionary and PLAIN strings.
    @Test(arguments: Compression.allCases)
    func roundTripThroughOwnWriter(_ compression: Compression) throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("t.parquet").path
        let cols = [Column("term", .string), Column("count", .int64), Column("score", .double, nullable: true),
                    Column("day", .date, nullable: true), Column("note", .string, nullable: true)]
        var options = SinkOptions(compression: compression, metadata: [("k", "v")])
        options.rowGroupRows = 1000
        options.pageBytes = 1024
        options.dictionaryBytesLimit = 2000  // later row groups fall back to PLAIN
        let w = try makeTableWriter(format: .parquet, columns: cols, path: path, options: options)
        let n = 3500
        func term(_ i: Int) -> String { i < 1000 ? "t\(i % 17)ü" : "term-\(i)" }
        for i in 0..<n {
            try w.write([.string(term(i)), .int(Int64(i) * 1_000_003 - 7), i % 5 == 0 ? .null : .double(Double(i) / 7),
                         i % 3 == 0 ? .null : .date(Int32(i - 1000)), i % 2 == 0 ? .null : .string("n\(i)")])
        }
        try w.finish()
        let r = try ParquetReader(path: path)
        #expect(r.rowCount == n && r.rowGroupCount == 4)
        #expect(r.columns.map(\.optional) == [false, false, true, true, true])
        #expect(r.keyValueMetadata.map(\.key) == ["k"] && r.keyValueMetadata.map(\.value) == ["v"])
        let t = try r.read(column: "term"), c = try r.read(column: "count"), s = try r.read(column: "score")
        let d = try r.read(column: "day"), note = try r.read(column: "note")
        for i in 0..<n {
            #expect(t.string(i) == term(i))
            #expect(c.int64(i) == Int64(i) * 1_000_003 - 7)
            #expect(s.double(i) == (i % 5 == 0 ? nil : Double(i) / 7))
            #expect(d.int64(i) == (i % 3 == 0 ? nil : Int64(i - 1000)))
            #expect(note.string(i) == (i % 2 == 0 ? nil : "n\(i)"))
        }
    }

    @Test func emptyTable() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("e.parquet").path
        let w = try makeTableWriter(format: .parquet, columns: [Column("a", .int64)], path: path, options: SinkOptions())
        try w.finish()
        let r = try ParquetReader(path: path)
        #expect(r.rowCount == 0 && r.rowGroupCount == 0)
        #expect(try r.read(column: "a").count == 0)
        #expect(throws: ExportError.self) { try r.read(column: "missing") }
    }

    /// Every truncation and many single-byte corruptions of a valid file throw (or read), never trap.
    @Test(arguments: ["pyarrow-snappy-v1-dict.parquet", "pyarrow-zstd-v2-delta.parquet", "pyarrow-gzip-v2-plain.parquet",
                      "spark/spark-v2-nodict.parquet", "spark/spark-agg.parquet"])
    func damagedFilesThrow(_ name: String) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: fixture(name)))
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("bad.parquet").path
        func attempt(_ bytes: Data) -> Bool {
            try? bytes.write(to: URL(fileURLWithPath: path))
            do {
                let r = try ParquetReader(path: path)
                for c in r.columns { _ = try r.read(column: c.name) }
                return true
            } catch let e as ExportError {
                guard case .input(let m) = e else { Issue.record("unexpected \(e)"); return false }
                #expect(m.hasPrefix(path + ": "))
                return false
            } catch {
                Issue.record("unexpected \(error)")
                return false
            }
        }
        for cut in stride(from: 0, to: original.count, by: max(7, original.count / 400)) { #expect(!attempt(original.prefix(cut))) }
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            var b = original
            let k = Int.random(in: 0..<b.count, using: &rng)
            b[k] = UInt8.random(in: 0...255, using: &rng)
            _ = attempt(b)
        }
    }

    @Test func messagesNameTheProblem() throws {
        let dir = try TestPaths.makeTempDir()
        let path = dir.appendingPathComponent("x.parquet").path
        func message(_ bytes: [UInt8]) -> String {
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            do { _ = try ParquetReader(path: path); return "" } catch { return "\(error)" }
        }
        #expect(message([]).contains("empty file"))
        #expect(message(Array("PAR1PAR1".utf8)).contains("too short"))
        #expect(message(Array("PAR0\0\0\0\0\0\0\0\0PAR1".utf8)).contains("not a Parquet file"))
        #expect(message(Array("PAR1\0\0\0\0\0\0\0\0PARE".utf8)).contains("encrypted"))
        #expect(message(Array("PAR1\0\0\0\0".utf8) + [0xFF, 0, 0, 0] + Array("PAR1".utf8)).contains("footer"))
    }

    // MARK: Pieces

    @Test(arguments: [
        // (compressed, expected)
        ([0x05, 0x10, 0x68, 0x65, 0x6C, 0x6C, 0x6F] as [UInt8], Array("hello".utf8)),  // one literal
        ([0x0A, 0x00, 0x61, 0x22, 0x01, 0x00] as [UInt8], Array("aaaaaaaaaa".utf8)),  // literal "a", copy-2 (len 9, offset 1)
        ([0x08, 0x04, 0x61, 0x62, 0x09, 0x02] as [UInt8], Array("abababab".utf8)),  // literal "ab", copy-1 (len 6, offset 2)
        ([0x0C, 0x00, 0x7A, 0x27, 0x01, 0x00, 0x00, 0x00, 0x00, 0x79] as [UInt8], Array("zzzzzzzzzzzy".utf8)),  // literal "z", copy-4 (len 10, offset 1), literal "y"
    ])
    func snappyBlocks(_ input: [UInt8], _ expected: [UInt8]) throws {
        let out = try input.withUnsafeBytes { try Snappy.decompress($0, expected: expected.count) }
        #expect(out == expected)
    }

    @Test func snappyRejectsBadBlocks() {
        let bad: [[UInt8]] = [
            [],
            [0x05, 0x10, 0x68],  // literal runs past the input
            [0x03, 0x05, 0x01],  // copy before any output
            [0x02, 0x04, 0x61, 0x62, 0x09, 0x02],  // copy past the declared length
            [0x80, 0x80, 0x80, 0x80, 0x80, 0x01],  // length varint too long
        ]
        for b in bad {
            #expect(throws: ParquetFormatError.self) {
                try b.withUnsafeBytes { try Snappy.decompress($0, expected: Snappy.uncompressedLength($0) ?? 0) }
            }
        }
    }

    @Test func rleDecoderMatchesEncoder() throws {
        var rng = SystemRandomNumberGenerator()
        for width in [0, 1, 2, 3, 7, 8, 13, 20, 32] {
            let maxV: UInt64 = width == 0 ? 0 : (1 << UInt64(width)) - 1
            var values: [UInt32] = []
            for _ in 0..<3000 {
                let v = UInt32(UInt64.random(in: 0...maxV, using: &rng))
                let run = Bool.random(using: &rng) ? Int.random(in: 1...40, using: &rng) : 1
                values.append(contentsOf: repeatElement(v, count: run))
            }
            var enc: [UInt8] = []
            RLEHybrid.encode(values, bitWidth: width, into: &enc)
            var dec: [UInt32] = []
            try enc.withUnsafeBytes { _ = try RLEHybrid.decode($0, bitWidth: width, count: values.count, into: &dec) }
            #expect(dec == values)
            // Cut short: throws.
            if enc.count > 2 {
                var short: [UInt32] = []
                #expect(throws: ParquetFormatError.self) {
                    try enc.dropLast(enc.count / 2).withUnsafeBytes { try RLEHybrid.decode($0, bitWidth: width, count: values.count, into: &short) }
                }
            }
        }
    }

    @Test func thriftReaderReadsWriterOutput() throws {
        var w = ThriftCompactWriter()
        w.i32(1, -5)
        w.i64(2, 1 << 40)
        w.string(4, "name")
        w.listString(20, ["a", "b"])
        w.bool(21, true)
        w.beginStruct(22)
        w.i32(1, 7)
        w.endStruct()
        w.stop()
        var got: [Int16: String] = [:]
        try w.bytes.withUnsafeBytes { buf in
            var r = ThriftCompactReader(buf)
            try r.forEachField { r, id, t in
                switch id {
                case 1, 2:
                    let v = try r.int(t)
                    got[id] = "\(v)"
                case 4: got[id] = try r.string(t)
                case 20:
                    let (et, n) = try r.listHeader(t)
                    var s: [String] = []
                    for _ in 0..<n { s.append(try r.string(et)) }
                    got[id] = s.joined(separator: ",")
                case 21:
                    let v = try r.bool(t)
                    got[id] = "\(v)"
                default: try r.skip(t)
                }
            }
            #expect(r.remaining == 0)
        }
        #expect(got == [1: "-5", 2: "1099511627776", 4: "name", 20: "a,b", 21: "true"])
        // Every truncation throws.
        for cut in 0..<w.bytes.count {
            #expect(throws: ParquetFormatError.self) {
                try w.bytes.prefix(cut).withUnsafeBytes { buf in
                    var r = ThriftCompactReader(buf)
                    try r.forEachField { r, _, t in try r.skip(t) }
                }
            }
        }
    }
}
